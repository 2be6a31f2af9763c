-- A key per practice, wrapped by the master key (issue 17): version 0 is
-- the practice's journal key, versions 1, 2, … its data keys (the highest
-- seals the register). No foreign key to practices: `sceau key restore`
-- puts the keys back before `sceau restore` puts the practices back.
-- `sceau backup` leaves this table out (the key backup carries it): a
-- deleted practice's rows stay unreadable in the backups made before.
CREATE TABLE practice_keys (
    practice_id BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    wrapped     BYTEA NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (practice_id, version)
);
-- The practices already here are sealed with the master key itself: the
-- store gives each its keys and re-encrypts its register at the next start.
INSERT INTO store_meta (name, value)
SELECT 'legacy_keys', 'pending' WHERE EXISTS (SELECT 1 FROM practices);
