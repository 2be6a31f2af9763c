-- Practices (cabinets), accounts, browser sessions and API tokens.
-- Timestamps are Unix seconds (INTEGER here, BIGINT in PostgreSQL).
CREATE TABLE practices (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    practice_id   INTEGER NOT NULL REFERENCES practices(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrateur', 'kinesitherapeute', 'etudiant', 'assistant')),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX accounts_practice ON accounts(practice_id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   INTEGER REFERENCES accounts(id),
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
);
CREATE INDEX api_tokens_practice ON api_tokens(practice_id);
