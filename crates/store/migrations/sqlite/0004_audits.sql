-- The practice's self-audits of professional secrecy (CSP R. 4321-114 to
-- R. 4321-116): one row per audit, numbered per practice, with its author;
-- one row per answered point of the checklist (law/audit.toml). Comments
-- are encrypted by the application like every free text of the register.
CREATE TABLE audits (
    id           TEXT PRIMARY KEY,
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    number       INTEGER NOT NULL,
    checklist    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    author_name  TEXT NOT NULL,
    UNIQUE (practice_id, number)
);
CREATE TABLE audit_answers (
    audit_id     TEXT NOT NULL REFERENCES audits(id),
    point        TEXT NOT NULL,
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    answer       TEXT NOT NULL,
    comment      BLOB,
    PRIMARY KEY (audit_id, point)
);
