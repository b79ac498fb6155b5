-- A relay-only room: every peer connection in it uses TURN only, so participants never learn
-- each other's IP addresses. Chosen when the room is created.
ALTER TABLE rooms ADD COLUMN relay_only BOOLEAN DEFAULT FALSE NOT NULL;
