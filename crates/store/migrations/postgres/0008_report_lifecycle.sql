-- Issue 19: a report (signalement) has a life — brouillon, relu, envoyé —
-- and only « envoyé » is a disclosure: the journal entry and the duties
-- that follow are written when it is sent, never when it is drafted.
-- Drafting again (a typo fixed) updates the same draft, by its id.
-- What names people (the letter's text, the duty's subject) is encrypted by
-- the application, as are the flagged passages kept and their reasons;
-- the means is one of a closed list.
CREATE TABLE reports (
    id              TEXT PRIMARY KEY,
    practice_id     BIGINT NOT NULL REFERENCES practices(id),
    status          TEXT NOT NULL CHECK (status IN ('brouillon', 'relu', 'envoye')),
    recipient       TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    basis           TEXT NOT NULL,
    letter          BYTEA NOT NULL,
    duty_subject    BYTEA,
    -- Flagged passages kept, each with why it is necessary (JSON, encrypted).
    kept            BYTEA NOT NULL,
    created_at      BIGINT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    drafts          BIGINT NOT NULL,
    reviewed_at     BIGINT,
    reviewed_by     TEXT,
    sent_on         TEXT,
    sent_means      TEXT CHECK (sent_means IN ('courrier', 'mssante', 'main_propre')),
    sent_by         TEXT,
    journal_seq     BIGINT
);
CREATE INDEX reports_practice ON reports(practice_id, created_at);

-- Issue 19, the register: a patient archived leaves the lists; the journal
-- keeps its entries (they name the patient by the random reference only,
-- and the pages then show that reference, not the name).
CREATE TABLE patient_archive (
    patient_id   TEXT PRIMARY KEY REFERENCES patients(id),
    practice_id  BIGINT NOT NULL REFERENCES practices(id),
    archived_at  BIGINT NOT NULL,
    archived_by  TEXT NOT NULL
);
