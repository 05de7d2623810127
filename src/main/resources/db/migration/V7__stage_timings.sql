-- Written to run unchanged on H2 and PostgreSQL.

-- Where a stage's time went, in milliseconds, as its view shows them (StageTimings); NULL for a
-- stage that did not run to its end.
ALTER TABLE stages ADD COLUMN image_ms INT;
ALTER TABLE stages ADD COLUMN create_ms INT;
ALTER TABLE stages ADD COLUMN start_ms INT;
ALTER TABLE stages ADD COLUMN run_ms INT;
ALTER TABLE stages ADD COLUMN collect_ms INT;
