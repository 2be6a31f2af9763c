-- Audit finding 2: sessions and API tokens were a plain SHA-256 of their
-- secret, so whoever could write the database without the key could insert
-- one of his own. Each row now carries an HMAC under a key derived from its
-- practice's journal key (crates/store/src/row_macs.rs). A row cannot be
-- signed here (its secret is not kept, and signing what is found would
-- attest whatever an intruder left): the sessions end (everyone signs in
-- again), the tokens stay without a MAC and are refused on use, shown « à
-- remplacer » until an administrator issues new ones.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN mac TEXT;
ALTER TABLE api_tokens ADD COLUMN mac TEXT;
