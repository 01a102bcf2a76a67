-- A Space's variables and secrets, given to its app as environment variables. One name space per Space: a name is
-- either a variable or a secret. A secret's value is sealed (AES-GCM under a key derived from the server secret,
-- bound to its Space and name), so a copy of the database alone does not give it away.
CREATE TABLE space_variables (
    repo_id      VARCHAR(24)   NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    name         VARCHAR(128)  NOT NULL,
    secret       BOOLEAN       NOT NULL,
    value        TEXT          NOT NULL,
    description  TEXT,
    updated_at   BIGINT        NOT NULL,
    PRIMARY KEY (repo_id, name)
);
