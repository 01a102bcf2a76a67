-- Whether a user also hears of their notifications by mail (a hub with --smtp, a verified address); on by default,
-- as on the Hub, and turned off on the notifications page.
ALTER TABLE users ADD COLUMN mail_notifications BOOLEAN NOT NULL DEFAULT TRUE;
