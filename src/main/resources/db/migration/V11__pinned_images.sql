-- Written to run unchanged on H2 and PostgreSQL.

-- What each stage actually ran: its image's repo digest (name@sha256:...) when the engine knows
-- one in the stage's repository, else the image id (sha256:...); NULL until its container exists.
-- A regrade (POST /jobs/{id}/rerun) pins each stage to it.
ALTER TABLE stages ADD COLUMN image_digest VARCHAR(1024);
-- The public id of the job a rerun repeats; NULL for a job submitted as itself. Not a foreign key:
-- the original may be deleted by retention long before its rerun.
ALTER TABLE jobs ADD COLUMN rerun_of UUID;
