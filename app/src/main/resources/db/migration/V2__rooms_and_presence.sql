-- Rooms are created by name and kept; presence is who is in which call right now.
CREATE TABLE rooms (
    slug        VARCHAR(40)  PRIMARY KEY,
    name        VARCHAR(60)  NOT NULL,
    created_by  UUID         NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per STOMP session in a call. The instance column lets the survivors of a
-- crashed instance find and remove its participants.
CREATE TABLE participants (
    id          VARCHAR(32)  PRIMARY KEY,
    room_slug   VARCHAR(40)  NOT NULL REFERENCES rooms (slug) ON DELETE CASCADE,
    session_id  VARCHAR(64)  NOT NULL UNIQUE,
    user_name   VARCHAR(64)  NOT NULL,
    screen_name VARCHAR(64)  NOT NULL,
    instance_id VARCHAR(64)  NOT NULL,
    joined_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX participants_by_room ON participants (room_slug, joined_at);
CREATE INDEX participants_by_instance ON participants (instance_id);
