-- +goose Up
-- PostgreSQL's bump_site_version() notifies the instances listening for
-- content changes from this version on; SQLite serves one instance, whose
-- page cache reads site_version itself.

-- Instances running the job queue, each seen within the last few seconds
-- while it lives: a restarted process retries at once the jobs its killed
-- predecessor left "running" (internal/jobs.RescueOrphans).
CREATE TABLE job_instances (
    id      TEXT PRIMARY KEY CHECK (id <> ''),
    seen_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE job_instances;
