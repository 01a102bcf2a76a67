-- Accounts signed in through an OpenID Connect provider: the provider's issuer and its subject name the person for
-- good (emails and usernames change and are reused), so an account is found by them, never by its email alone.
-- One identity per provider per account.
CREATE TABLE sso_identities (
    issuer         VARCHAR(500) NOT NULL,
    subject        VARCHAR(255) NOT NULL,
    user_id        VARCHAR(24)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email          VARCHAR(320),
    created_at     BIGINT       NOT NULL,
    last_signed_in BIGINT       NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE UNIQUE INDEX sso_identities_user ON sso_identities (user_id, issuer);
