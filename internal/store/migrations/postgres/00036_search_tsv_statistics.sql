-- +goose Up
-- Finer statistics of search_docs.tsv (package internal/search). A search
-- that PostgreSQL expects to match more than 20,000 articles estimates its
-- total from a sample instead of visiting every match, and it reads what
-- to expect from the planner's estimate of each word. The default
-- statistics target keeps the 1,000 most common lexemes; a word below
-- them, such as مذاکرات in 3% of a million articles, was estimated at a
-- floor of 5,008, and its searches visited all 32,000 matches. A target
-- of 1,000 keeps 10,000 lexemes; ANALYZE of a million articles then takes
-- about 6 s.
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS 1000;
ANALYZE search_docs;

-- +goose Down
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS -1;
