-- Stands in for main's migration 011 on this branch (the sequence may have no gap): drop it
-- when merging, main's own 011 takes its place.
SELECT 1;
