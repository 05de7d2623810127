-- Written to run unchanged on H2 and PostgreSQL.

-- Bytes of each stream that were read but not kept (between its head and its tail, past
-- chainlink.log-limit), timestamps included, as the stage's view shows them; NULL when none.
ALTER TABLE stages ADD COLUMN stdout_dropped BIGINT;
ALTER TABLE stages ADD COLUMN stderr_dropped BIGINT;
-- TRUE when the engine discarded part of the stage's output before it could be read (its log
-- files rotated past what it keeps, faster than they were followed): more was written than counted.
ALTER TABLE stages ADD COLUMN output_lost BOOLEAN DEFAULT FALSE NOT NULL;
