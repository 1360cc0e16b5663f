-- Calls: each account's telephony, the chains' notifications and outgoing webhooks, manual
-- re-schedulings, and the flag that says an order's call chain (a Durable Object) was started.

CREATE TABLE telephony (
    account_id   INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    -- shared::telephony::TelephonySettings as JSON, secrets included: the cabinet API only ever
    -- returns TelephonyView, which says whether a secret is set.
    settings     TEXT NOT NULL,
    -- The provider account, to find whose an inbound-call notification is.
    account_sid  TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL
);
CREATE INDEX telephony_by_account_sid ON telephony(account_sid);

-- 1 once the order's Durable Object has its chain; the minute cron starts any left at 0.
ALTER TABLE orders ADD COLUMN chain_started INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_chain_not_started ON orders(created_at) WHERE chain_started = 0;
-- A direct call from the client: the account's running orders of that number.
CREATE INDEX orders_by_account_phone ON orders(account_id, phone, status);

-- Emails, SMS and outgoing webhooks of the chains: what was sent, to whom, and whether it went.
CREATE TABLE notifications (
    -- <order id>-<job number>: a job run twice after a restart sends once.
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    -- 'email' | 'sms' | 'webhook'
    channel     TEXT NOT NULL,
    recipients  TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    -- 'pending' | 'sent' | 'failed'
    status      TEXT NOT NULL,
    error       TEXT,
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX notifications_by_order ON notifications(order_id, created_at);

-- "each re-scheduling records user, when, and for when".
CREATE TABLE reschedules (
    id        INTEGER PRIMARY KEY,
    order_id  TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    user_email TEXT NOT NULL,
    at        TEXT NOT NULL,
    for_time  TEXT NOT NULL
);
CREATE INDEX reschedules_by_order ON reschedules(order_id, at);

-- The worker's public origin when the order came in: the chain's callback URLs start with it
-- (the minute cron starts a chain without a request to read it from).
ALTER TABLE orders ADD COLUMN callback_base TEXT NOT NULL DEFAULT '';
