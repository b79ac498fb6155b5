-- Live Confab instances. Each one refreshes heartbeat_at every few seconds (database time);
-- a row left silent past the timeout is deleted by one survivor, which then removes the
-- participants of that instance. Portable between H2 2.x and PostgreSQL 15.
CREATE TABLE instances (
    id            VARCHAR(64)              PRIMARY KEY,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- When someone last joined or left the room: rooms empty for long enough are deleted.
ALTER TABLE rooms ADD COLUMN last_active_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL;
