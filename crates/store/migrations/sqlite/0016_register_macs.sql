-- Audit finding 3: a consent could be moved to another patient and an
-- opposition lifted by SQL without the key. Each row of `consents` and
-- `oppositions` now carries an HMAC over every column that states the fact
-- (crates/store/src/register_macs.rs). Nothing is signed here: signing what
-- is found would attest whatever an intruder left (the trap of migration
-- 6). The rows stay unsigned — shown « Altéré » and kept out of every
-- decision — until the host's administrator attests them: `sceau register
-- attest`.
ALTER TABLE consents ADD COLUMN mac TEXT;
ALTER TABLE oppositions ADD COLUMN mac TEXT;
