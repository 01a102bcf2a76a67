-- Each webhook's recent deliveries, newest 20 kept (Webhooks.recordDelivery): what was sent and how it went, for
-- its owner to see. Replaces the columns that held the last one only.
CREATE TABLE webhook_deliveries (
    id          VARCHAR(24)   PRIMARY KEY,
    webhook_id  VARCHAR(24)   NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    at          BIGINT        NOT NULL,
    event       VARCHAR(300)  NOT NULL,   -- scope, action and subject, as the page shows them
    outcome     VARCHAR(300)  NOT NULL    -- the receiver's status, or why nothing was received
);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (webhook_id, at);

INSERT INTO webhook_deliveries (id, webhook_id, at, event, outcome)
SELECT id, id, last_delivery_at, 'an event', last_delivery FROM webhooks WHERE last_delivery_at IS NOT NULL;

ALTER TABLE webhooks DROP COLUMN last_delivery_at;
ALTER TABLE webhooks DROP COLUMN last_delivery;
