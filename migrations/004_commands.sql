-- Reserved for 004_commands (in progress); intentionally empty until then.
SELECT 1;
