-- Written to run unchanged on H2 and PostgreSQL.

-- The store's identity (StoreId): what the service creates on the engine is labelled with it.
CREATE TABLE store (
    singleton INT         NOT NULL PRIMARY KEY CHECK (singleton = 1),
    id        VARCHAR(36) NOT NULL
);

-- A running job is owned by one instance, which renews its lease while it runs; a job whose lease
-- has run out lost its owner and is settled by another instance (Recovery).
ALTER TABLE jobs ADD COLUMN owner VARCHAR(255);
ALTER TABLE jobs ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
-- Runs begun: 1 once claimed, more when the recovery policy runs an interrupted job again.
ALTER TABLE jobs ADD COLUMN attempt INT DEFAULT 0 NOT NULL;
-- A cancel of a running job: its owner kills its container and settles it CANCELLED.
ALTER TABLE jobs ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
