-- How the last delivery of each webhook went, for its owner to see: when, and the receiver's status or the error.
ALTER TABLE webhooks ADD COLUMN last_delivery_at BIGINT;
ALTER TABLE webhooks ADD COLUMN last_delivery VARCHAR(300);
