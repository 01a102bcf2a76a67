-- Closed monthly statements and how each was paid. A row is claimed (PENDING) before the payment collector runs,
-- so two nodes closing the same month never collect twice.
CREATE TABLE statements (
    namespace  VARCHAR(96)  NOT NULL,
    month      VARCHAR(7)   NOT NULL,  -- 2026-11
    claimed_at BIGINT       NOT NULL,  -- millis; a PENDING row older than a day was left by a crash
    method     VARCHAR(32)  NOT NULL,
    reference  VARCHAR(200),
    status     VARCHAR(16)  NOT NULL,  -- PENDING, INVOICED, PAID, FAILED
    detail     VARCHAR(500),
    PRIMARY KEY (namespace, month)
);
