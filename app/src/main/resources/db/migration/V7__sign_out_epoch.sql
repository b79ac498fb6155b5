-- Sign-out epochs: logout adds one to the user's epoch, and an identity cookie counts only while
-- the epoch it was issued under is still the current one. So a copied cookie stops working on
-- every instance at logout, not at its expiry. Portable between H2 2.x and PostgreSQL 15.
--
-- A user without a row has never logged out: epoch 0. Kept apart from `users` (no foreign key)
-- so that logging out works for any identity a valid cookie names, and the users table stays
-- the login rule's alone.
CREATE TABLE sign_out_epochs (
    user_id UUID   NOT NULL,
    epoch   BIGINT NOT NULL,
    CONSTRAINT sign_out_epochs_pk PRIMARY KEY (user_id)
);
