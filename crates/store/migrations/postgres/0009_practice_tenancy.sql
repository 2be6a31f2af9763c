-- Practices as tenants of one deployment (issue 17): the hosting operator
-- suspends a practice (no sign-in, no API token) and gives each new one a
-- one-time installation code for its first administrator, stored as its
-- SHA-256 (the code is random, about 60 bits, and expires).
ALTER TABLE practices ADD COLUMN suspended_at BIGINT;
ALTER TABLE practices ADD COLUMN install_code_hash TEXT;
ALTER TABLE practices ADD COLUMN install_code_expires_at BIGINT;
CREATE UNIQUE INDEX practices_install_code ON practices(install_code_hash);
