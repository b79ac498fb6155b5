-- A join records its participant and commits before anyone is told (the announcement is a second
-- step, under the room's lock). A crash in between leaves a row nobody knows of, which turns away
-- and leaves after its grace like any other; a crash can no longer leave others with a tile for a
-- row that was rolled back. Portable between H2 2.x and PostgreSQL 15.
ALTER TABLE participants ADD COLUMN announced BOOLEAN DEFAULT FALSE NOT NULL;
-- Rows from before this change were announced in the same transaction that inserted them.
UPDATE participants SET announced = TRUE;
