-- +goose Up
-- Short-text near duplicates (package shorttext): the MinHash band keys
-- (ten) of each article of 8 to 79 words, which the simhash bands
-- (sh_band0..3) leave out. Two short articles sharing a key are compared
-- exactly.
CREATE TABLE article_short_keys (
    band_key   BIGINT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_id)
);
CREATE INDEX article_short_keys_article ON article_short_keys (article_id);

-- One URL in two outlets' feeds (a wire story an agency and a newspaper
-- both list): the article is stored once, under the outlet that stored it
-- first (articles.outlet_id), and every other outlet whose feed announced
-- it is listed here, so it counts in that outlet's coverage too.
CREATE TABLE article_outlets (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    outlet_id  BIGINT NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    feed_id    BIGINT REFERENCES feeds (id) ON DELETE SET NULL,
    added_at   TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (article_id, outlet_id)
);
CREATE INDEX article_outlets_outlet ON article_outlets (outlet_id);

-- +goose Down
DROP TABLE article_outlets;
DROP TABLE article_short_keys;
