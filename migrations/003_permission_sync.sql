-- Reserved for 003_permission_sync (in progress); intentionally empty until then.
SELECT 1;
