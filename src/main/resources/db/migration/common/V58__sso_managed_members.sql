-- Memberships given by the identity provider's groups (--oidc-org-roles): a sign-in sets their role from the groups
-- and takes them away when the groups no longer give one. Memberships an organization's admins gave by hand are
-- never taken away by a sign-in.
ALTER TABLE org_members ADD COLUMN sso_managed BOOLEAN NOT NULL DEFAULT FALSE;
