-- Repo ids are case-insensitive, as on the Hub: lookups compare lower-cased names, and this index serves them.
-- Not unique: a hub may already hold two ids that differ only in case (each stays reachable by its exact name).
CREATE INDEX repos_lower_id ON repos (type, lower(namespace), lower(name));
