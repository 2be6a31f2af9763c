-- Issue 19: the author's RPPS number and professional address, given once
-- by the account's owner on « Mon compte » and put into every letter the
-- account writes, never asked again. Encrypted by the application, like the
-- other personal data of the store.
CREATE TABLE account_profiles (
    account_id   BIGINT PRIMARY KEY REFERENCES accounts(id),
    practice_id  BIGINT NOT NULL REFERENCES practices(id),
    rpps         BYTEA,
    address      BYTEA,
    updated_at   BIGINT NOT NULL
);

-- Issue 19: a report may name the register's patient it is about; the
-- journal entry written when it is sent names that patient, and so does
-- the duty that follows, so that the patient's page shows it. NULL: a
-- report or duty about no registered patient (as before).
ALTER TABLE reports ADD COLUMN patient_id TEXT REFERENCES patients(id);
ALTER TABLE duties ADD COLUMN patient_id TEXT REFERENCES patients(id);
CREATE INDEX duties_patient ON duties(practice_id, patient_id);
