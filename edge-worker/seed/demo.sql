-- The demo account, site and widget that `cargo xtask dev` and the tests start with.
-- Idempotent: running it again on an existing local database changes nothing.
INSERT OR IGNORE INTO accounts (id, name) VALUES (1, 'Demo company');
INSERT OR IGNORE INTO sites (id, account_id, domain, site_key) VALUES (1, 1, '127.0.0.1', 'demo');
INSERT OR IGNORE INTO widgets (id, site_id, position, active, settings) VALUES (
    1, 1, 0, 1,
    '{"version":1,"name":"Main callback","kind":"standard","button":{"position":"bottom_right","color":"#1a73e8","icon_color":"#ffffff","size":64,"pulse":true}}'
);
-- A second site whose only widget is switched off: pages of this site show nothing.
INSERT OR IGNORE INTO sites (id, account_id, domain, site_key) VALUES (2, 1, 'quiet.example', 'demo-quiet');
INSERT OR IGNORE INTO widgets (id, site_id, position, active, settings) VALUES (
    2, 2, 0, 0,
    '{"version":1,"name":"Switched off","kind":"standard"}'
);
