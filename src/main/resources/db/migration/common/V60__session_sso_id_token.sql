-- The ID token of the single sign-on that began a session, if one did: logging out of the hub sends it to the
-- provider's end_session_endpoint as the hint that ends the provider's session too (OpenID Connect RP-Initiated
-- Logout). It is made for this hub's client only and goes with the session.
ALTER TABLE sessions ADD COLUMN sso_id_token TEXT;
