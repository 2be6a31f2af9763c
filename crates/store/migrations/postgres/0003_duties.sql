-- Duties still to do after a disclosure (for example « victime informée »
-- after a report under CP 226-14 3° made without the victim's consent).
-- The subject and how the duty was done are encrypted by the application.
CREATE TABLE duties (
    id           TEXT PRIMARY KEY,
    practice_id  BIGINT NOT NULL REFERENCES practices(id),
    kind         TEXT NOT NULL,
    subject      BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    done_on      TEXT,
    done_how     BYTEA,
    done_at      BIGINT,
    done_by      TEXT
);
CREATE INDEX duties_practice ON duties(practice_id, done_on);
