-- Sign-up by email confirmation, the per-address sign-up limit, and preview links that expire
-- (issue 11).

-- A sign-up waiting for its email's link: the account is created only when the link is
-- opened, so that sign-up answers the same whether or not an email is registered. Single use:
-- confirming deletes every pending sign-up of the email.
CREATE TABLE signups (
    -- SHA-256 of the link's token, hex.
    token_hash     TEXT PRIMARY KEY,
    email          TEXT NOT NULL COLLATE NOCASE,
    -- The password as an Argon2id PHC string, like users.password_hash.
    password_hash  TEXT NOT NULL,
    company        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);
CREATE INDEX signups_by_email ON signups(email);
CREATE INDEX signups_by_expiry ON signups(expires_at);

-- Every sign-up request, for the per-address limit (shared::limits::ip_group).
CREATE TABLE signup_attempts (
    id     INTEGER PRIMARY KEY,
    ip     TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX signup_attempts_by_ip ON signup_attempts(ip, at);

-- A preview link works until then (24 hours after it was made). Links made before this
-- column existed have none and no longer work: the cabinet offers to renew them.
ALTER TABLE widgets ADD COLUMN preview_expires_at TEXT;
