-- What an organization's new repos are when their maker does not say: 'hub' follows --default-visibility, 'private'
-- makes them private unless made public, 'private-only' keeps every new repo and every change of visibility private.
ALTER TABLE organizations ADD COLUMN repo_visibility VARCHAR(16) NOT NULL DEFAULT 'hub';
