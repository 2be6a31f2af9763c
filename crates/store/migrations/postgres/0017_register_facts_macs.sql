-- Audit finding 6: the care team, a patient's dates of birth and death,
-- archiving and the duties decide (a member is a recipient without
-- consent, the dates answer « alive » and « minor », an archived patient
-- leaves the lists, a duty done leaves the home page) and could be changed
-- by SQL without the key. Each row now carries an HMAC over every column
-- that states the fact (crates/store/src/register_facts.rs). Nothing is
-- signed here, as in migration 16: the rows stay unsigned — shown
-- « Altéré » and kept out of every decision — until the host's
-- administrator attests them: `sceau register attest`.
ALTER TABLE care_team ADD COLUMN mac TEXT;
ALTER TABLE patients ADD COLUMN mac TEXT;
ALTER TABLE patient_archive ADD COLUMN mac TEXT;
ALTER TABLE duties ADD COLUMN mac TEXT;
