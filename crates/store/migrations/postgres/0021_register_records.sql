-- Each row of the register (consents, oppositions, the care team, a
-- patient's dates, archiving, duties) is signed on its own: its MAC proves
-- that Sceau wrote it once, not that it is still there nor that it is its
-- latest version. A row deleted (an opposition, a duty) or an older signed
-- version put back (a lifting, a withdrawal, a duty done undone) went
-- unseen. Each patient now has one signed record naming the MAC of each of
-- its current rows (patient_id '' holds the practice's duties about no
-- patient), rewritten with a growing counter in the transaction of each
-- write (crates/store/src/register_record.rs). Nothing is signed here: the
-- rows found are recorded by `sceau register attest`.
CREATE TABLE register_records (
    practice_id BIGINT NOT NULL REFERENCES practices(id),
    patient_id  TEXT NOT NULL,
    counter     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    mac         TEXT NOT NULL,
    PRIMARY KEY (practice_id, patient_id)
);
