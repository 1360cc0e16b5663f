-- Issue 11: never dial the wrong number, and never let Ringback be used against anyone.

-- The countries whose client numbers a site calls back (ISO 3166-1 alpha-2, comma-separated);
-- empty: the site's own country only.
ALTER TABLE sites ADD COLUMN client_countries TEXT NOT NULL DEFAULT '';

-- The account's daily caps for each client number (shared::limits::DailyCaps).
ALTER TABLE accounts ADD COLUMN orders_per_number_per_day INTEGER NOT NULL DEFAULT 5;
ALTER TABLE accounts ADD COLUMN rings_per_number_per_day INTEGER NOT NULL DEFAULT 15;

-- The extension typed after the number (`доб. 123`): told to the operator, never dialed.
ALTER TABLE orders ADD COLUMN extension TEXT;
-- The client address an order is counted under (an IPv6 address by its /64).
ALTER TABLE orders ADD COLUMN ip_group TEXT;
CREATE INDEX orders_by_ip_group ON orders(ip_group, created_at);
CREATE INDEX orders_by_account_phone_time ON orders(account_id, phone, created_at);

-- Every ring of a client number (one per attempt, retries included), claimed before the
-- attempt dials: the daily rings caps count these.
CREATE TABLE client_rings (
    order_id    TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    account_id  INTEGER NOT NULL,
    phone       TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (order_id, attempt)
);
CREATE INDEX client_rings_by_phone ON client_rings(phone, at);
CREATE INDEX client_rings_by_account_phone ON client_rings(account_id, phone, at);
