-- The provider's session id ('sid' of the ID token) a single sign-on began this session under: a back-channel logout
-- from the provider names it, and the hub ends the sessions begun under it.
ALTER TABLE sessions ADD COLUMN sso_sid VARCHAR(255);
CREATE INDEX sessions_sso_sid ON sessions (sso_sid);
