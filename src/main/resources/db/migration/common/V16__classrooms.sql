-- A classroom is an organization whose admins (teachers) invite students in bulk and follow their repos.
ALTER TABLE organizations ADD COLUMN classroom BOOLEAN NOT NULL DEFAULT FALSE;
