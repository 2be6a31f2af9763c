-- Practices (cabinets), accounts, browser sessions and API tokens.
-- Timestamps are Unix seconds (BIGINT here, INTEGER in SQLite).
CREATE TABLE practices (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE accounts (
    id            BIGSERIAL PRIMARY KEY,
    practice_id   BIGINT NOT NULL REFERENCES practices(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrateur', 'kinesitherapeute', 'etudiant', 'assistant')),
    password_hash TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX accounts_practice ON accounts(practice_id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    practice_id  BIGINT NOT NULL REFERENCES practices(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   BIGINT REFERENCES accounts(id),
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_practice ON api_tokens(practice_id);
