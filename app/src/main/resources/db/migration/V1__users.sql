-- Users of the passwordless login. Portable between H2 2.x and PostgreSQL 15.
--
-- The real name is stored only as its lookup key (case-folded, without spaces and
-- punctuation): Confab never shows real names, it only needs to recognise one again.
-- Keys are at most 3 UTF-16 units per character of a 64-character name after case
-- folding, hence 256; a 32-character screen name is at most 64 UTF-16 units.
CREATE TABLE users (
    id              UUID                     NOT NULL,
    screen_name     VARCHAR(64)              NOT NULL,
    screen_name_key VARCHAR(256)             NOT NULL,
    real_name_key   VARCHAR(256)             NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT users_pk PRIMARY KEY (id)
);

CREATE UNIQUE INDEX users_screen_name_key_ux ON users (screen_name_key);

CREATE UNIQUE INDEX users_real_name_key_ux ON users (real_name_key);
