-- Look-alike screen names are one screen name. Portable between H2 2.x and PostgreSQL 15.
--
-- screen_name_skeleton: the screen name's confusable skeleton (Unicode UTS #39), case-folded
--   (Names.skeleton), so "AIice" and "Alice", or Cyrillic "орхроеаоа" and Latin "opxpoeaoa",
--   cannot both be taken. It adds to screen_name_key, which still decides case variants.
--
-- No backfill here: SQL cannot compute a skeleton. The column is nullable, and the application
-- fills the rows without one at every start, before its web server takes a login
-- (ScreenNameSkeletons); until a row is filled, a new screen name is checked against that row's
-- screen name in the application. Unique indexes admit any number of NULLs in both databases: a
-- row keeps NULL only when an older look-alike (one that signed up before this) holds its skeleton.
--
-- At most 7 UTF-16 units per character of a 32-character screen name in ICU 78's data (Hangul
-- syllables), so 224; 512 leaves room for later confusables data.
ALTER TABLE users ADD COLUMN screen_name_skeleton VARCHAR(512);

CREATE UNIQUE INDEX users_screen_name_skeleton_ux ON users (screen_name_skeleton);
