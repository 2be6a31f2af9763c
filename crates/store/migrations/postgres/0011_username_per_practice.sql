-- Login names unique per practice, not per server (issue 14): an
-- administrator creating an account no longer learns that a name exists in
-- another practice; signing in names the practice.
ALTER TABLE accounts DROP CONSTRAINT accounts_username_key;
ALTER TABLE accounts ADD CONSTRAINT accounts_practice_username UNIQUE (practice_id, username);
