-- Audit of 2026-11-30, finding 7: the recipients' directory was not
-- signed, so an address written by SQL without the key (its « exemple »
-- flag cleared) was where a drafted CP 226-14 report was addressed. Each
-- row now carries an HMAC over every column that states the entry
-- (crates/store/src/register_facts.rs, kind « recipient »). Nothing is
-- signed here: the rows found stay « Altéré » — never a letter's address —
-- until the host's administrator attests them (`sceau register attest`,
-- which shows each address) or the practice's administrator saves each
-- one again in the directory's form after checking it.
ALTER TABLE recipients ADD COLUMN mac TEXT;
