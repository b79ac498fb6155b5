-- Calls that survive a signaling outage. Portable between H2 2.x and PostgreSQL 15.
--
-- resume_hash: SHA-256 (hex) of the participant's resume secret; the secret itself is only ever
--   sent to the participant's own session.
-- epoch: how many times the participant resumed from a fresh page (a reload); peers compare it to
--   tell a live peer connection from one whose other end is gone.
-- away_until: set while the participant has no session (its socket closed without a leave);
--   past it, the participant leaves. Database time, so every instance agrees.
ALTER TABLE participants ADD COLUMN resume_hash VARCHAR(64) DEFAULT '' NOT NULL;
ALTER TABLE participants ADD COLUMN epoch INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE participants ADD COLUMN away_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX participants_by_away ON participants (away_until);

-- Grows with every change of the room's call, under the room's lock: clients apply a roster only
-- when it is newer than the one they show.
ALTER TABLE rooms ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;
