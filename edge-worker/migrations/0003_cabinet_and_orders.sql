-- Everything the public and cabinet APIs store: users and sessions, the account's balance and
-- service switch, departments, condition sets, orders and their call attempts, tags, the
-- blacklist and the audit log. Every query the cabinet makes has an index below.

ALTER TABLE accounts ADD COLUMN minutes_balance INTEGER NOT NULL DEFAULT 50;
ALTER TABLE accounts ADD COLUMN service_on INTEGER NOT NULL DEFAULT 1 CHECK (service_on IN (0, 1));
-- Digits the account uses for tagging (not allowed as the key-press digit), as a JSON array.
ALTER TABLE accounts ADD COLUMN reserved_digits TEXT NOT NULL DEFAULT '[]';

-- Bumped on every change to a site's widgets, condition sets or departments: *decide* caches a
-- site per version, so a change is visible at the next page view.
ALTER TABLE sites ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 1;

-- A token that shows a widget on the real site whatever its state ("preview link").
ALTER TABLE widgets ADD COLUMN preview_token TEXT;
CREATE UNIQUE INDEX widgets_by_preview_token ON widgets(preview_token) WHERE preview_token IS NOT NULL;

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- An Argon2id PHC string ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>).
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX users_by_account ON users(account_id);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token, hex: a stolen database holds no usable session.
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Sent back in X-CSRF-Token on every state change.
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

-- Failed log-ins, to slow down password guessing.
CREATE TABLE login_failures (
    id     INTEGER PRIMARY KEY,
    email  TEXT NOT NULL COLLATE NOCASE,
    ip     TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures(email, at);
CREATE INDEX login_failures_by_ip ON login_failures(ip, at);

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- The department document (shared::departments::Department without its id) as JSON.
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX departments_by_account ON departments(account_id);

CREATE TABLE condition_sets (
    id          INTEGER PRIMARY KEY,
    widget_id   INTEGER NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    -- shared::conditions::ConditionSet as JSON.
    body        TEXT NOT NULL
);
CREATE INDEX condition_sets_by_widget ON condition_sets(widget_id, position);

CREATE TABLE orders (
    -- Random, unguessable.
    id               TEXT PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    site_id          INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    -- Orders outlive their widget: the journal says "widget deleted".
    widget_id        INTEGER REFERENCES widgets(id) ON DELETE SET NULL,
    widget_name      TEXT NOT NULL,
    department_id    INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    department_name  TEXT,
    phone            TEXT NOT NULL,
    name             TEXT,
    -- 'scheduled' | 'calling' | 'success' | 'failed' | 'cancelled'
    status           TEXT NOT NULL,
    status_reason    TEXT,
    -- When the first call is due (ISO 8601, UTC).
    call_at          TEXT NOT NULL,
    -- 1 when the order came in working hours (the "working hours" / "off-hours" tag).
    working_hours    INTEGER NOT NULL CHECK (working_hours IN (0, 1)),
    source           TEXT NOT NULL DEFAULT 'widget',
    page_url         TEXT NOT NULL DEFAULT '',
    referrer         TEXT,
    utm_source       TEXT,
    utm_medium       TEXT,
    utm_campaign     TEXT,
    seconds_on_site  INTEGER,
    fields           TEXT NOT NULL DEFAULT '{}',
    ip               TEXT,
    -- SHA-256 of the status token given to the visitor, hex.
    token_hash       TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    -- The first answer, returned again for a repeated request with the same key.
    answer           TEXT NOT NULL,
    -- The call chain's plan (shared::chain::ChainPlan) as JSON.
    plan             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    finished_at      TEXT,
    UNIQUE (site_id, idempotency_key)
);
CREATE INDEX orders_journal ON orders(account_id, created_at);
CREATE INDEX orders_journal_by_status ON orders(account_id, status, created_at);
CREATE INDEX orders_journal_by_widget ON orders(widget_id, created_at);
CREATE INDEX orders_by_site ON orders(site_id, created_at);
CREATE INDEX orders_by_phone ON orders(phone, created_at);
CREATE INDEX orders_by_ip ON orders(ip, created_at);
CREATE INDEX orders_by_source ON orders(account_id, utm_source, created_at);

CREATE TABLE call_attempts (
    id             INTEGER PRIMARY KEY,
    order_id       TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    n              INTEGER NOT NULL,
    -- shared::attempt::AttemptRecord as JSON (kind, times, operator, result).
    record         TEXT NOT NULL,
    success        INTEGER NOT NULL CHECK (success IN (0, 1)),
    bridged_secs   INTEGER NOT NULL DEFAULT 0,
    billed_minutes INTEGER NOT NULL DEFAULT 0,
    started_at     TEXT NOT NULL,
    UNIQUE (order_id, n)
);
CREATE INDEX call_attempts_by_start ON call_attempts(started_at);

CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name        TEXT NOT NULL COLLATE NOCASE,
    UNIQUE (account_id, name)
);

-- Tags of an order's calls: the journal and reports filter by them.
CREATE TABLE order_tags (
    order_id  TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (order_id, tag_id)
);
CREATE INDEX order_tags_by_tag ON order_tags(tag_id, order_id);

CREATE TABLE blacklist (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- shared::blacklist::BlacklistEntry as JSON.
    entry       TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (account_id, entry)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT '{}',
    at          TEXT NOT NULL
);
CREATE INDEX audit_log_by_account ON audit_log(account_id, at);
