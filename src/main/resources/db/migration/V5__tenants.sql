-- Written to run unchanged on H2 and PostgreSQL.

-- The tenant (a client's name, e.g. a course) a job belongs to; jobs from before clients existed
-- belong to the local user of an open service.
ALTER TABLE jobs ADD COLUMN tenant VARCHAR(255) DEFAULT 'local' NOT NULL;
-- Fair share walks the tenants with queued jobs, and each one's oldest, along this index; a
-- tenant's queue quota counts along it too.
CREATE INDEX jobs_status_tenant_id ON jobs (status, tenant, id);
-- A tenant's own list, newest first.
CREATE INDEX jobs_tenant_id ON jobs (tenant, id);
