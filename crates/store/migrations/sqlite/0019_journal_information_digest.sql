-- Audit finding 8 (2026-11-29): a journal export shows each entry's
-- information in clear beside its sealed bytes, and the chain covered only
-- the sealed bytes, so an export whose clear text was edited still checked
-- without the key. Entries of version 2 chain a salted digest of the clear
-- text (crates/journal/src/information.rs), kept here in hex; the salt is
-- sealed with the text. Rows written before keep NULL: they are entries of
-- version 1, whose encoding and hash are unchanged, and an export says
-- their information is not covered. Nothing is computed for them here:
-- signing what is found would attest whatever an intruder left.
ALTER TABLE journal_entries ADD COLUMN information_digest TEXT;
