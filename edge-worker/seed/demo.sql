-- The demo account, site and widget that `cargo xtask dev` and the tests start with.
-- Idempotent: running it again on an existing local database changes nothing.
-- The demo call center works round the clock, so the demo page shows the widget at any hour.
INSERT OR IGNORE INTO accounts (id, name) VALUES (1, 'Demo company');
-- The demo login, printed by `cargo xtask dev`: demo@ringback.test / demo-password
-- (an Argon2id PHC string, as the cabinet API stores passwords).
INSERT OR IGNORE INTO users (id, account_id, email, password_hash) VALUES (
    1, 1, 'demo@ringback.test',
    '$argon2id$v=19$m=19456,t=2,p=1$cmluZ2JhY2stZGVtby0xNg$KnD0eUKllMA98MaaxO7Zm+HJ71ziIPbAsOzOq0tTRMk'
);
INSERT OR IGNORE INTO sites (id, account_id, domain, site_key, country) VALUES (1, 1, '127.0.0.1', 'demo', 'RU');
INSERT OR IGNORE INTO widgets (id, site_id, position, active, settings) VALUES (
    1, 1, 0, 1,
    '{"version":2,"name":"Main callback","kind":"standard","call_center":{"zone":"Europe/Moscow","hours":["111111111111111111111111","111111111111111111111111","111111111111111111111111","111111111111111111111111","111111111111111111111111","111111111111111111111111","111111111111111111111111"]},"forwarding":{"numbers":[{"number":"+74951234567"}],"mode":"parallel"},"tags":["demo"],"appearance":{"working":{"button":{"position":"bottom_right","color":"#1a73e8","icon_color":"#ffffff","size":64,"pulse":true}},"off_hours":{"button":{"position":"bottom_right","color":"#1a73e8","icon_color":"#ffffff","size":64,"pulse":true}}}}'
);
-- A second site whose only widget is switched off: pages of this site show nothing. Its
-- settings are stored in format 1, which must keep loading.
INSERT OR IGNORE INTO sites (id, account_id, domain, site_key, country) VALUES (2, 1, 'quiet.example', 'demo-quiet', 'RU');
INSERT OR IGNORE INTO widgets (id, site_id, position, active, settings) VALUES (
    2, 2, 0, 0,
    '{"version":1,"name":"Switched off","kind":"standard"}'
);
