-- +goose Up
-- Every bump of site_version also notifies the channel
-- pressreview_site_version, so that the page cache of every instance
-- listening on it drops its pages within a notification's round trip
-- instead of polling the row (internal/ops.ListenContent). NOTIFY is
-- delivered on commit, once per transaction for an identical payload, so
-- a statement-level trigger fired many times in one publish notifies once.

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_site_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
    PERFORM pg_notify('pressreview_site_version', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- Instances running the job queue, each seen within the last few seconds
-- while it lives. River rescues a job left "running" by a killed process
-- only after RescueStuckJobsAfter (a quarter of an hour); the leader
-- retries at once the running jobs whose instance stopped being seen
-- (internal/jobs.RescueOrphans).
CREATE TABLE job_instances (
    id      TEXT PRIMARY KEY CHECK (id <> ''),
    seen_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE job_instances;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_site_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
