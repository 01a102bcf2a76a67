-- Whether the user asked for access (and so agreed to share their contact details with the repo's owners), or
-- was granted it without asking: the owners see the email of the first only, as on the Hub. Rows from before are
-- taken as asked, which is what the owners were shown until now.
ALTER TABLE access_requests ADD COLUMN asked BOOLEAN NOT NULL DEFAULT TRUE;
