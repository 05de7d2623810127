-- Written to run unchanged on H2 and PostgreSQL.
-- A job's public id stored as the UUID it is, 16 bytes, rather than its 36 characters of text: the
-- id's index and the jobs' rows shrink, and each submission writes less and compares less to keep
-- the index in order (a quarter of what H2 wrote per store of submissions was that index; bench/).
-- The API still shows it as text, in the same canonical lower-case form.
ALTER TABLE jobs ALTER COLUMN public_id SET DATA TYPE UUID USING CAST(public_id AS UUID);
