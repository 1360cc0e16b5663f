-- Signed webhooks (issue 11): the signatures already accepted, so that a replayed request is
-- refused, and how often an outgoing webhook was tried.

-- Every X-Ringback-Signature accepted from a PBX, until it would have expired anyway (its
-- time plus 5 minutes, unix seconds); a second use inside the window is refused. The minute
-- cron deletes expired rows.
CREATE TABLE used_signatures (
    -- The v1 value that matched (hex HMAC-SHA256): not a secret, and useless once used.
    v1          TEXT PRIMARY KEY,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX used_signatures_by_expiry ON used_signatures(expires_at);

-- How many times a notification or webhook was tried, and when a failed webhook is tried next
-- (back-off from 1 minute to 1 hour, for 24 hours after its event).
ALTER TABLE notifications ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN next_at TEXT;
