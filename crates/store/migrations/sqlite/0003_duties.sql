-- Duties still to do after a disclosure (for example « victime informée »
-- after a report under CP 226-14 3° made without the victim's consent).
-- The subject and how the duty was done are encrypted by the application.
CREATE TABLE duties (
    id           TEXT PRIMARY KEY,
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    kind         TEXT NOT NULL,
    subject      BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    done_on      TEXT,
    done_how     BLOB,
    done_at      INTEGER,
    done_by      TEXT
);
CREATE INDEX duties_practice ON duties(practice_id, done_on);
