-- +goose Up
-- Pending article fetches are handed out host by host. host is the
-- politeness key of the entry's URL (fetch.HostKey: lower-case host, the
-- port when not the default), so the scheduler can spread due entries
-- over hosts and lease each host only what it can serve before the next
-- run. leased_until is when an entry handed to a job comes back to the
-- scheduler if its job has neither stored it nor recorded a failure (its
-- process died); NULL when not leased. It is apart from next_attempt_at
-- (the back-off) so that the scheduler can count a host's entries at work.
ALTER TABLE feed_entries ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE feed_entries ADD COLUMN leased_until TIMESTAMP;
-- The host of the entries still to fetch, from their URL's authority (no
-- default-port folding: only a scheduling hint, politeness is the
-- fetcher's). Done and failed entries are not fetched again.
UPDATE feed_entries
SET host = lower(substr(substr(url, instr(url, '://') + 3), 1,
    instr(substr(url, instr(url, '://') + 3) || '/', '/') - 1))
WHERE state = 'pending';

-- +goose Down
ALTER TABLE feed_entries DROP COLUMN leased_until;
ALTER TABLE feed_entries DROP COLUMN host;
