-- Audit of 2026-11-30, findings 3 and 4: an access row's MAC proved that
-- Sceau wrote it once, not that it was its latest version, so an older
-- signed account or token row put back, or a session row deleted at logout
-- inserted again, was believed. Each practice now has one signed record of
-- the current version of its access rows (crates/store/src/access_record.rs).
-- Nothing is signed here: the start that applies this migration records
-- the rows it finds whose own MAC holds, once.
CREATE TABLE access_records (
    practice_id BIGINT PRIMARY KEY REFERENCES practices(id),
    counter     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    mac         TEXT NOT NULL
);
