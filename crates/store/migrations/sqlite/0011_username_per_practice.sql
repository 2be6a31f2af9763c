-- Login names unique per practice, not per server (issue 14): an
-- administrator creating an account no longer learns that a name exists in
-- another practice; signing in names the practice.
-- SQLite cannot drop a column's UNIQUE: the table is rebuilt. Dropping it
-- would delete the sessions (ON DELETE CASCADE): they are kept aside and
-- put back. The tokens' reference to their creator is checked at commit
-- (deferred), once the accounts are back with the same ids.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE accounts_kept AS SELECT * FROM accounts;
CREATE TEMP TABLE sessions_kept AS SELECT * FROM sessions;
DELETE FROM sessions;
DROP TABLE accounts;
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    practice_id   INTEGER NOT NULL REFERENCES practices(id),
    username      TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrateur', 'kinesitherapeute', 'etudiant', 'assistant')),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (practice_id, username)
);
CREATE INDEX accounts_practice ON accounts(practice_id);
INSERT INTO accounts (id, practice_id, username, display_name, role, password_hash, active, created_at, updated_at)
    SELECT id, practice_id, username, display_name, role, password_hash, active, created_at, updated_at FROM accounts_kept;
INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at)
    SELECT token_hash, account_id, csrf, created_at, expires_at FROM sessions_kept;
DROP TABLE accounts_kept;
DROP TABLE sessions_kept;
