-- The patient register and the journal of disclosures.
-- Identity and free-text fields are BLOBs encrypted by the application
-- (XChaCha20-Poly1305); identifiers of register objects are random.
-- Dates are 'YYYY-MM-DD' text; timestamps Unix seconds.
CREATE TABLE store_meta (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE patients (
    id            TEXT PRIMARY KEY,
    practice_id   INTEGER NOT NULL REFERENCES practices(id),
    display_name  BLOB NOT NULL,
    birth_date    BLOB,
    reference     BLOB,
    deceased_on   BLOB,
    created_at    INTEGER NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX patients_practice ON patients(practice_id);

CREATE TABLE care_team (
    id           TEXT PRIMARY KEY,
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    patient_id   TEXT NOT NULL REFERENCES patients(id),
    name         TEXT NOT NULL,
    profession   TEXT NOT NULL,
    rpps         TEXT,
    ground       TEXT,
    since        TEXT,
    until        TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX care_team_patient ON care_team(practice_id, patient_id);

CREATE TABLE consents (
    id            TEXT PRIMARY KEY,
    practice_id   INTEGER NOT NULL REFERENCES practices(id),
    patient_id    TEXT NOT NULL REFERENCES patients(id),
    recipient     TEXT NOT NULL,
    professional  TEXT,
    rpps          TEXT,
    what          BLOB NOT NULL,
    purpose       TEXT,
    method        TEXT NOT NULL,
    given_on      TEXT NOT NULL,
    until         TEXT,
    withdrawn_on  TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX consents_patient ON consents(practice_id, patient_id);

CREATE TABLE oppositions (
    id           TEXT PRIMARY KEY,
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    patient_id   TEXT NOT NULL REFERENCES patients(id),
    scope        TEXT NOT NULL,
    what         BLOB NOT NULL,
    since        TEXT NOT NULL,
    informed_on  TEXT,
    lifted_on    TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX oppositions_patient ON oppositions(practice_id, patient_id);

-- One row per practice: the last sequence number and hash, locked by each append.
CREATE TABLE journal_heads (
    practice_id  INTEGER PRIMARY KEY REFERENCES practices(id),
    seq          INTEGER NOT NULL,
    hash         TEXT NOT NULL
);

CREATE TABLE journal_entries (
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    seq          INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    practice     TEXT NOT NULL,
    author       TEXT NOT NULL,
    patient      TEXT,
    recipient    TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    action       TEXT NOT NULL,
    verdict      TEXT NOT NULL,
    basis        TEXT NOT NULL,
    information  BLOB NOT NULL,
    prev         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (practice_id, seq)
);
CREATE INDEX journal_entries_patient ON journal_entries(practice_id, patient);

CREATE TABLE journal_checkpoints (
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    seq          INTEGER NOT NULL,
    hash         TEXT NOT NULL,
    at           INTEGER NOT NULL,
    mac          TEXT NOT NULL,
    PRIMARY KEY (practice_id, seq)
);
