-- Written to run unchanged on H2 and PostgreSQL.

-- A job's files: what its submission placed in /job ('in') and what /job held when its chain
-- ended ('out'), each a tar (io.chainlink.files). Deleted with the job (retention) by the cascade.
-- Whether /job is kept when the chain ends: asked by the submission (keepFiles), since the copy is an
-- engine call of a tenth of a second or more, which no job should pay unasked.
ALTER TABLE jobs ADD COLUMN keep_files BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE job_files (
    job_id    BIGINT     NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    direction VARCHAR(3) NOT NULL,          -- 'in' or 'out'
    bytes     BIGINT     NOT NULL,          -- the stored tar's length
    truncated BOOLEAN    NOT NULL DEFAULT FALSE, -- 'out': entries past chainlink.files.max-bytes were left out
    PRIMARY KEY (job_id, direction)
);

-- The tar in chunks, written as it is read and read back as it is served: never held whole.
CREATE TABLE job_file_chunks (
    job_id    BIGINT     NOT NULL,
    direction VARCHAR(3) NOT NULL,
    seq       INT        NOT NULL,
    data      BYTEA      NOT NULL,
    PRIMARY KEY (job_id, direction, seq),
    FOREIGN KEY (job_id, direction) REFERENCES job_files (job_id, direction) ON DELETE CASCADE
);
