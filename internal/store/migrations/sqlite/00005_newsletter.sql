-- +goose Up
CREATE TABLE newsletter_lists (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name        TEXT NOT NULL CHECK (name <> ''),
    description TEXT NOT NULL DEFAULT '',
    public      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- A subscriber is known by an unguessable uid in links, so that a link
-- never names a row id that SQLite could reuse after an erasure.
CREATE TABLE subscribers (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE CHECK (uid <> ''),
    email        TEXT NOT NULL UNIQUE CHECK (email <> ''),
    name         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'blocked')),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP
);

CREATE TABLE subscriptions (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list_id       INTEGER NOT NULL REFERENCES newsletter_lists (id),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (subscriber_id, list_id)
);
CREATE INDEX subscriptions_list ON subscriptions (list_id, status);

-- What is left of an erased address: its SHA-256, so imports cannot add it back.
CREATE TABLE suppressions (
    email_hash TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- The consent ledger. Rows are never deleted or changed, except that an
-- erasure blanks the ip and user_agent of the erased subscriber's rows.
CREATE TABLE consent_events (
    id             INTEGER PRIMARY KEY,
    subscriber_uid TEXT NOT NULL,
    email_hash     TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('subscribe', 'confirm', 'lists', 'name', 'unsubscribe', 'erase', 'bounce', 'complaint', 'import')),
    form           TEXT NOT NULL DEFAULT '',
    wording        TEXT NOT NULL DEFAULT '',
    policy_version TEXT NOT NULL DEFAULT '',
    lists          TEXT NOT NULL DEFAULT '',
    ip             TEXT NOT NULL DEFAULT '',
    user_agent     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX consent_events_subscriber ON consent_events (subscriber_uid, id);

-- +goose StatementBegin
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
BEGIN
    SELECT RAISE(ABORT, 'consent_events is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
WHEN NEW.id IS NOT OLD.id OR NEW.subscriber_uid IS NOT OLD.subscriber_uid
  OR NEW.email_hash IS NOT OLD.email_hash OR NEW.kind IS NOT OLD.kind
  OR NEW.form IS NOT OLD.form OR NEW.wording IS NOT OLD.wording
  OR NEW.policy_version IS NOT OLD.policy_version OR NEW.lists IS NOT OLD.lists
  OR NEW.created_at IS NOT OLD.created_at OR NEW.ip <> '' OR NEW.user_agent <> ''
BEGIN
    SELECT RAISE(ABORT, 'consent_events is append-only (an erasure may only blank ip and user_agent)');
END;
-- +goose StatementEnd

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE CHECK (uid <> ''),
    list_id     INTEGER NOT NULL REFERENCES newsletter_lists (id),
    subject     TEXT NOT NULL CHECK (subject <> ''),
    body_html   TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'finished', 'cancelled')),
    send_at     TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    started_at  TIMESTAMP,
    finished_at TIMESTAMP
);

-- The delivery ledger: one row per (campaign, subscriber). lease_until is
-- when a claim by a sender lapses (a crash) or a temporary failure's
-- backoff ends; round counts "retry failed" actions.
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE SET NULL,
    state         TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'bounced')),
    round         INTEGER NOT NULL DEFAULT 0,
    attempts      INTEGER NOT NULL DEFAULT 0,
    lease_until   TIMESTAMP,
    claimed_by    TEXT NOT NULL DEFAULT '',
    last_error    TEXT NOT NULL DEFAULT '',
    queued_at     TIMESTAMP NOT NULL,
    sent_at       TIMESTAMP,
    UNIQUE (campaign_id, subscriber_id)
);
CREATE INDEX deliveries_campaign_state ON deliveries (campaign_id, state, id);

-- +goose StatementBegin
CREATE TRIGGER deliveries_forward BEFORE UPDATE OF state ON deliveries
WHEN NEW.state <> OLD.state AND NOT (
       (OLD.state = 'queued' AND NEW.state IN ('sending', 'failed'))
    OR (OLD.state = 'sending' AND NEW.state IN ('sent', 'failed', 'bounced'))
    OR (OLD.state IN ('sent', 'failed') AND NEW.state = 'bounced')
    OR (OLD.state = 'failed' AND NEW.state = 'queued' AND NEW.round = OLD.round + 1))
BEGIN
    SELECT RAISE(ABORT, 'deliveries: a state may only move forward');
END;
-- +goose StatementEnd

CREATE TABLE bounces (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    campaign_id   INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    source        TEXT NOT NULL CHECK (source IN ('smtp', 'webhook')),
    event_id      TEXT UNIQUE,
    detail        TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX bounces_subscriber ON bounces (subscriber_id, kind);

-- +goose Down
DROP TABLE bounces;
DROP TABLE deliveries;
DROP TABLE campaigns;
DROP TABLE consent_events;
DROP TABLE suppressions;
DROP TABLE subscriptions;
DROP TABLE subscribers;
DROP TABLE newsletter_lists;
