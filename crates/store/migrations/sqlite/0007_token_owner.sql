-- API tokens get an expiry and a scope, and belong to the administrator
-- who created them (`created_by`): they stop with that account. Tokens of
-- an earlier version keep working for 90 more days from the upgrade, with
-- their full (read and write) scope; a token without a creator is revoked.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'ecriture' CHECK (scope IN ('lecture', 'ecriture'));
UPDATE api_tokens SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) + 7776000 WHERE expires_at IS NULL;
UPDATE api_tokens SET revoked_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE created_by IS NULL AND revoked_at IS NULL;
CREATE INDEX api_tokens_owner ON api_tokens(created_by);
