-- A room its owner controls (docs/protocol.md, "Room control"). Portable between H2 2.x and PostgreSQL 15.
--
-- owner_user: principal name (user id) of the room's owner; the creator to begin with, and again
--   whenever the call empties. NULL only for rows older than this column until the backfill below.
-- locked: nobody new joins (the owner's user still may).
-- waiting_room: newcomers knock (table knocks) and wait until the owner lets them in.
-- capacity: the owner's participant limit; NULL means the installation's (confab.call.max-participants).
ALTER TABLE rooms ADD COLUMN owner_user VARCHAR(64);
UPDATE rooms SET owner_user = CAST(created_by AS VARCHAR(64));
ALTER TABLE rooms ADD COLUMN locked BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE rooms ADD COLUMN waiting_room BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE rooms ADD COLUMN capacity INTEGER;

-- When the participant raised its hand (database time); hands are shown in this order.
ALTER TABLE participants ADD COLUMN hand_raised_at TIMESTAMP WITH TIME ZONE;

-- Sessions waiting to be let into a room's call. admitted: the owner let it in; its next join passes.
CREATE TABLE knocks (
    id          VARCHAR(32)  PRIMARY KEY,
    room_slug   VARCHAR(40)  NOT NULL REFERENCES rooms (slug) ON DELETE CASCADE,
    session_id  VARCHAR(64)  NOT NULL UNIQUE,
    user_name   VARCHAR(64)  NOT NULL,
    screen_name VARCHAR(64)  NOT NULL,
    instance_id VARCHAR(64)  NOT NULL,
    knocked_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    admitted    BOOLEAN      DEFAULT FALSE NOT NULL
);
CREATE INDEX knocks_by_room ON knocks (room_slug, knocked_at);
CREATE INDEX knocks_by_instance ON knocks (instance_id);

-- Users the owner removed from a room's call: they cannot join it again before removed_until.
CREATE TABLE room_removals (
    room_slug   VARCHAR(40)  NOT NULL REFERENCES rooms (slug) ON DELETE CASCADE,
    user_name   VARCHAR(64)  NOT NULL,
    removed_until TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (room_slug, user_name)
);
