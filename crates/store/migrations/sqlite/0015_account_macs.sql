-- Audit finding 2: a role could be raised by SQL without the key. Each
-- account's row now carries an HMAC over its id, practice, login name,
-- role, password hash and activity (crates/store/src/accounts.rs). Nothing
-- is signed here: signing what is found would attest whatever an intruder
-- left (the trap of migration 6). The accounts stay unsigned, and refused,
-- until the host's administrator attests them: `sceau accounts attest`.
ALTER TABLE accounts ADD COLUMN mac TEXT;
