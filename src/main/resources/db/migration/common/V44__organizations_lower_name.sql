-- Organization names are looked up in any case (as repo ids are, V40): membership checks run on every request that
-- touches an organization's repo, so the lower-cased name is indexed.
CREATE INDEX organizations_lower_name ON organizations (lower(name));
