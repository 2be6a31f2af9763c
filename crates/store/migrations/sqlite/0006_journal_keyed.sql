-- The journal's entries and heads get a MAC under the practice's key
-- (issue 14): without the key, no one can extend or recompute the chain.
-- Existing rows are signed once, at the first start after this migration,
-- by the store (which holds the key) and only if their chain verifies.
ALTER TABLE journal_entries ADD COLUMN mac TEXT;
ALTER TABLE journal_heads ADD COLUMN mac TEXT;
