-- Written to run unchanged on H2 and PostgreSQL 15: plain types, no vendor syntax.
-- A job's callback, one at most: stored with its job, in the job's transaction, so that a restart
-- does not lose it. Deleted with its job (retention) by the cascade. next_attempt_at is also the
-- claim: an instance that takes a delivery moves it past its own deadlines, so that only a dead
-- sender's delivery becomes due again.
CREATE TABLE callbacks (
    job_id          BIGINT        NOT NULL PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    url             VARCHAR(2048) NOT NULL,
    secret          VARCHAR(256)  NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL DEFAULT 0,
    last_status     INTEGER,
    -- Set once the job has ended: before that no delivery is due, and the look for due ones never
    -- walks the callbacks of queued jobs (a deadline's flood of them).
    job_ended       BOOLEAN       NOT NULL DEFAULT FALSE,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL
);
-- The deliverer's look for due deliveries walks this index: pending, of ended jobs, earliest first.
CREATE INDEX callbacks_due ON callbacks (state, job_ended, next_attempt_at);
