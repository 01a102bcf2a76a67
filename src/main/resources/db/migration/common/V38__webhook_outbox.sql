-- Webhook payloads not yet delivered (WebhookOutbox): written when the event is taken, deleted once the delivery has
-- its outcome, so a node that stops or dies does not lose them. claimed_by: the node (process) delivering it, which
-- renews claimed_at every minute; a node that stops gives its claims back (claimed_at 0), and rows not renewed for a
-- few minutes are adopted by another node, or by the next start.
CREATE TABLE webhook_outbox (
    id          VARCHAR(24)   PRIMARY KEY,
    webhook_id  VARCHAR(24)   NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    seq         BIGINT        NOT NULL,   -- the order events were taken in (per node)
    event       VARCHAR(300)  NOT NULL,   -- as webhook_deliveries.event
    payload     TEXT          NOT NULL,
    claimed_by  VARCHAR(64)   NOT NULL,
    claimed_at  BIGINT        NOT NULL
);
CREATE INDEX webhook_outbox_claims ON webhook_outbox (claimed_by, claimed_at);
