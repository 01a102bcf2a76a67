-- An administrator can deactivate an account (someone who left): it signs in no more, by any credential, until
-- reactivated; its repos and memberships stay.
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;
