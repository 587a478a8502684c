-- Stands in for main's migration 012 on this branch (the sequence may have no gap): drop it
-- when merging, main's own 012 takes its place.
SELECT 1;
