-- Fine-grained tokens: what they may do, and where, as the JSON whoami-v2 reports (auth.TokenScopes); and an
-- optional expiry, for any token.
ALTER TABLE tokens ADD COLUMN scopes_json TEXT;
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
