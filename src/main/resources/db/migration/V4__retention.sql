-- Written to run unchanged on H2 and PostgreSQL.

-- Retention deletes ended jobs oldest first, in batches, each a short range at the start of this
-- index. Jobs that have not ended have no finished_at: NULLS LAST keeps them out of that range
-- (H2 walks the NULLs before the first time otherwise: 300 ms past 300,000 queued jobs, per batch).
CREATE INDEX jobs_finished_at ON jobs (finished_at NULLS LAST);
