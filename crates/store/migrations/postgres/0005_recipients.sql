-- The directory of the recipients of reports (tribunaux judiciaires,
-- CRIP, préfectures…), maintained by each practice's administrator: no
-- address can be fetched at run time. Nothing here concerns a patient, so
-- nothing is encrypted. `example` marks an entry imported from the examples
-- shipped with Sceau and not yet checked by the administrator.
CREATE TABLE recipients (
    id          TEXT PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practices(id),
    kind        TEXT NOT NULL,
    department  TEXT NOT NULL,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL,
    salutation  TEXT,
    email       TEXT,
    phone       TEXT,
    example     BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL
);
CREATE INDEX recipients_practice ON recipients(practice_id, kind, department);
