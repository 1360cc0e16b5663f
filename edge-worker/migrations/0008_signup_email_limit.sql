-- Sign-ups are also limited per email (so that no one can flood an inbox with confirmation
-- links), counted with the per-address limit in one conditional insert.
ALTER TABLE signup_attempts ADD COLUMN email TEXT;
CREATE INDEX signup_attempts_by_email ON signup_attempts(email, at);
