package ingest

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// An entry whose page keeps failing is given up after this many tries:
// a hard failure (404, no article text) three times, others eight, with
// the weighted back-off in between. The feed itself is never given up.
const (
	maxHardAttempts  = 3
	maxOtherAttempts = 8
)

// entry is one item a feed announced.
type entry struct {
	ID, FeedID, OutletID int64
	URL, Title           string
	Published            *time.Time
	State                string
	Attempts             int
}

// loadEntries reads the entries of ids, in that order, with the article
// already stored under each one's URL (0 if none, as articleIDByURL finds
// it), in one statement; an id without an entry (its feed was deleted) is
// left out. A batch used to ask three queries an entry for the same,
// outside any transaction, before fetching anything.
func loadEntries(ctx context.Context, q store.Querier, ids []int64) ([]*entryWork, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// The URL lookups repeat articleIDByURL's, predicates included (SQLite
	// needs canonical_url <> '' to use the partial unique index).
	rows, err := q.QueryContext(ctx, `
		SELECT e.id, e.feed_id, f.outlet_id, e.url, e.title, e.published_at, e.state, e.attempts,
			COALESCE((SELECT u.article_id FROM article_urls u WHERE u.url = e.url AND e.url <> ''),
				(SELECT a.id FROM articles a WHERE a.canonical_url = e.url AND a.canonical_url <> ''), 0)
		FROM feed_entries e JOIN feeds f ON f.id = e.feed_id
		WHERE e.id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("feed entries %v: %w", ids, err)
	}
	defer rows.Close()
	byID := make(map[int64]*entryWork, len(ids))
	for rows.Next() {
		w := &entryWork{}
		e := &w.e
		var published sql.NullTime
		if err := rows.Scan(&e.ID, &e.FeedID, &e.OutletID, &e.URL, &e.Title, &published, &e.State, &e.Attempts, &w.known); err != nil {
			return nil, fmt.Errorf("feed entries %v: %w", ids, err)
		}
		e.Published = nullTime(published)
		byID[e.ID] = w
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed entries %v: %w", ids, err)
	}
	out := make([]*entryWork, 0, len(byID))
	for _, id := range ids {
		if w := byID[id]; w != nil {
			out = append(out, w)
			delete(byID, id) // an id listed twice is one entry
		}
	}
	return out, nil
}

// FetchEntry fetches, archives, extracts and stores the article one feed
// item announced; see FetchEntries.
func (s *Service) FetchEntry(ctx context.Context, id int64) error {
	return s.FetchEntries(ctx, []int64{id})
}

// entryWork is one entry of a batch on its way to the store.
type entryWork struct {
	e      entry
	known  int64 // the article already stored under the entry's URL
	f      *fetched
	a      *Article // the article to store, built and keyed in the fetch worker
	remote error
	local  error
}

// maxGroup bounds how many entries one storing transaction takes, a
// batch's at most (batchSize); a group waits storeLinger at most for
// them (see FetchEntries).
const (
	maxGroup    = batchSize
	storeLinger = 250 * time.Millisecond
)

// FetchEntries fetches the articles a batch of feed items announced and
// stores them. Fetching, archiving and extraction run in the service's
// fetch workers (Config.Concurrency pages at once across all batches); as
// pages come out of them, this goroutine stores them in one transaction,
// waiting a little for the rest of the batch (storeLinger), then the next
// group, so the workers keep extracting while the store writes, and one
// commit covers many articles. It is idempotent: run twice, or after a
// crash, it stores each article once (an entry is marked done in the
// transaction that stores its article). Failures of the outlets' side are
// recorded on the entries (and retried later by the scheduler); the error
// is for local failures only (archive, database): the entries they hit
// stay pending, the others are stored, and the job runs again.
func (s *Service) FetchEntries(ctx context.Context, ids []int64) error {
	entries, err := loadEntries(ctx, s.db, ids)
	if err != nil {
		return err
	}
	var ready []*entryWork // known entries: nothing to fetch
	var toFetch []*entryWork
	for _, w := range entries {
		switch {
		case w.e.State == "done":
		case w.known != 0:
			ready = append(ready, w)
		default:
			toFetch = append(toFetch, w)
		}
	}
	if len(ready)+len(toFetch) == 0 {
		return nil
	}

	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // on an early return, stops the workers before the wait
	done := make(chan *entryWork, len(toFetch))
	for _, w := range toFetch {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.fetchInTurn(ctx, w)
			done <- w
		}()
	}

	var firstLocal error
	for pending := len(toFetch); pending > 0 || len(ready) > 0; {
		if len(ready) == 0 {
			ready = append(ready, <-done)
			pending--
		}
		// A group costs as much again as storing a few pages whatever
		// their number (SQLite writes each page of the database it
		// touched to its log at the commit, the full-text index flushes
		// a segment; PostgreSQL takes the group's locks and runs its
		// statements), so while more pages are being fetched a group
		// waits up to storeLinger for them. In BenchmarkIngestOverhead
		// PostgreSQL's server spent 0.53–0.59 ms of CPU a page on groups
		// of at least 16 pages, 0.47–0.49 on 32, 0.36–0.40 on 64.
		linger := time.NewTimer(storeLinger)
	drain:
		for pending > 0 && len(ready) < maxGroup {
			select {
			case w := <-done:
				ready = append(ready, w)
				pending--
			case <-linger.C:
				break drain
			}
		}
		linger.Stop()
		group := ready[:0:0]
		for _, w := range ready {
			if w.local != nil {
				firstLocal = cmp.Or(firstLocal, w.local)
				continue
			}
			group = append(group, w)
		}
		ready = ready[:0]
		if len(group) == 0 {
			continue
		}
		if err := s.storeGroup(ctx, group); err != nil {
			return err
		}
	}
	return firstLocal
}

// fetchInTurn fetches w's page in one of the service's fetch slots,
// holding a slot only while the page's host can take a request: when the
// host's turn has not come (its politeness delay, a request in flight),
// the slot goes to a page of another host — of this batch or another —
// and this one waits, slotless, for the turn.
func (s *Service) fetchInTurn(ctx context.Context, w *entryWork) {
	for {
		select {
		case s.fetchSlots <- struct{}{}:
		case <-ctx.Done():
			w.local = ctx.Err()
			return
		}
		wait := s.fetchEntry(ctx, w)
		<-s.fetchSlots
		if wait == 0 {
			return
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			w.local = ctx.Err()
			return
		}
	}
}

// fetchEntry fetches, archives and extracts one entry's page and builds
// its article, dedup keys included, outside any transaction. When the
// page's host is busy it sends nothing and returns how long to wait.
func (s *Service) fetchEntry(ctx context.Context, w *entryWork) (wait time.Duration) {
	w.f, w.remote, w.local = s.fetchPage(ctx, fetch.Request{URL: w.e.URL, Accept: pageAccept, NoWait: true})
	var fe *fetch.Error
	if errors.Is(w.remote, fetch.ErrHostBusy) && errors.As(w.remote, &fe) {
		w.f, w.remote = nil, nil
		return fe.RetryAfter
	}
	if w.local != nil || w.remote != nil {
		return 0
	}
	e := w.e
	a := articleFrom(w.f, e.OutletID, "feed")
	a.FeedID = &e.FeedID
	if a.Published == nil {
		a.Published = e.Published // the page does not say; the feed does
	}
	if a.Title == "" {
		a.Title = e.Title
	}
	a.dedupKeys()
	if !s.stored.unchanged(a) {
		a.indexTerms()
		a.findQuotes()
	}
	w.a = a
	return 0
}

// storeGroup stores the outcomes of a group of entries in one
// transaction, and indexes the articles it created or edited for search
// at the end, from the terms their fetch workers computed (a copy found
// unchanged is indexed already); once it has committed, their texts are
// the fetch workers' hint (storedTexts). The group's captures are
// recorded first, in one statement, before the story lock is taken, as
// storePosts does with a poll's own writes: new rows that no transaction
// storing articles waits for, so the order cannot deadlock, and the
// locked part of the transaction is shorter. The stored copies of its
// articles are looked up at once (groupCopies), and the URLs they were
// met under, their quotations and the entries stored are recorded at the
// end (groupWrites.flushWith).
func (s *Service) storeGroup(ctx context.Context, group []*entryWork) error {
	var stored []*Article
	err := s.inTx(ctx, func(tx *store.Tx) error {
		stored = stored[:0]
		capts := make([]*capture, 0, len(group))
		for _, w := range group {
			if w.known == 0 && w.f != nil {
				capts = append(capts, w.f.capt)
			}
		}
		if err := saveCaptures(ctx, tx, capts); err != nil {
			return err
		}
		if err := lockGroupStories(ctx, tx); err != nil {
			return err
		}
		saved := make([]search.Source, 0, len(group))
		done := make([]entryDone, 0, len(group))
		var writes groupWrites
		var arts []*Article
		var aliases [][]string
		for _, w := range group {
			if w.known == 0 && w.remote == nil {
				arts, aliases = append(arts, w.a), append(aliases, w.f.aliases(w.e.URL))
			}
		}
		if err := writes.copies.load(ctx, tx, arts, aliases); err != nil {
			return err
		}
		for _, w := range group {
			a, how, articleID, err := s.storeEntry(ctx, tx, w, &writes)
			if err != nil {
				return err
			}
			if how == savedNew || how == savedEdit {
				saved, stored = append(saved, a.searchSource()), append(stored, a)
			}
			if articleID != 0 {
				done = append(done, entryDone{w.e.ID, articleID})
			}
		}
		if err := writes.flushWith(ctx, tx, done, s.now()); err != nil {
			return err
		}
		return indexSaved(ctx, tx, saved)
	})
	if err == nil {
		for _, a := range stored {
			s.stored.put(a.CanonicalURL, a.ContentHash)
		}
	}
	return err
}

// storeEntry stores one fetched entry's outcome in the group transaction.
// It returns the article it saved and what saveArticle did, and the
// article the entry is done with (0 when it failed), for the caller to
// mark; when it saved none (a known entry, a failure), nil and savedCopy,
// which needs no indexing. g takes the writes left to the group's end
// (groupWrites).
func (s *Service) storeEntry(ctx context.Context, tx *store.Tx, w *entryWork, g *groupWrites) (*Article, saved, int64, error) {
	e := w.e
	switch {
	case w.known != 0:
		if err := recordOtherOutlet(ctx, tx, w.known, e.OutletID, &e.FeedID); err != nil {
			return nil, 0, 0, err
		}
		return nil, savedCopy, w.known, nil
	case w.remote != nil:
		return nil, savedCopy, 0, s.recordEntryFailure(ctx, tx, e, w.f, w.remote)
	}
	// A copy of the article (say, a retry of this group after a failed
	// commit) is found by saveArticle; a is not reused across attempts.
	// Its capture is recorded (storeGroup).
	a := *w.a
	how, err := s.saveArticle(ctx, tx, &a, w.f.aliases(e.URL), w.f.capt, g)
	if err != nil {
		return nil, 0, 0, err
	}
	return &a, how, a.ID, nil
}

// entryDone is a feed entry stored as an article.
type entryDone struct{ entryID, articleID int64 }

// markEntriesDone marks entries done with their articles, in one
// statement: on PostgreSQL as two arrays, one text whatever their number,
// so that it is planned once.
func markEntriesDone(ctx context.Context, q store.Querier, done []entryDone, now time.Time) error {
	if len(done) == 0 {
		return nil
	}
	var err error
	if q.Dialect() == store.Postgres {
		ids, articles := entriesDoneArrays(done)
		_, err = q.ExecContext(ctx, markEntriesDonePostgres, now, ids, articles)
	} else {
		args := make([]any, 0, 1+3*len(done))
		args = append(args, now)
		for _, d := range done {
			args = append(args, d.entryID, d.articleID)
		}
		for _, d := range done {
			args = append(args, d.entryID)
		}
		_, err = q.ExecContext(ctx, `
			UPDATE feed_entries SET state = 'done', attempts = attempts + 1, last_attempt_at = ?, last_error = '',
				article_id = CASE id`+strings.Repeat(" WHEN ? THEN CAST(? AS BIGINT)", len(done))+` END
			WHERE id IN (?`+strings.Repeat(", ?", len(done)-1)+`)`, args...)
	}
	if err != nil {
		return fmt.Errorf("mark %d feed entries done: %w", len(done), err)
	}
	return nil
}

const markEntriesDonePostgres = `
	UPDATE feed_entries e SET state = 'done', attempts = e.attempts + 1, last_attempt_at = ?, last_error = '',
		article_id = d.article_id
	FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) AS d(id, article_id)
	WHERE e.id = d.id`

// entriesDoneArrays are the entry and article ids of done, as
// markEntriesDonePostgres takes them.
func entriesDoneArrays(done []entryDone) (ids, articles []int64) {
	ids, articles = make([]int64, len(done)), make([]int64, len(done))
	for i, d := range done {
		ids[i], articles[i] = d.entryID, d.articleID
	}
	return ids, articles
}

// recordEntryFailure keeps the failure in words, with what was received,
// and schedules the next try or gives up after repeated failures.
func (s *Service) recordEntryFailure(ctx context.Context, tx *store.Tx, e entry, f *fetched, remote error) error {
	kind := failureKind(remote)
	attempts := e.Attempts + 1
	state, limit := "pending", maxOtherAttempts
	if kind == fetch.Hard {
		limit = maxHardAttempts
	}
	if attempts >= limit {
		state = "failed"
	}
	var retryAfter time.Duration
	var fe *fetch.Error
	if errors.As(remote, &fe) {
		retryAfter = fe.RetryAfter
	}
	now := s.now()
	next := now.Add(failureDelay(attempts*failureWeight(kind), retryAfter, s.cfg.MaxBackoff))
	if f != nil {
		if err := f.capt.save(ctx, tx); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `
		UPDATE feed_entries SET state = ?, attempts = ?, last_attempt_at = ?, next_attempt_at = ?, last_error = ?,
			leased_until = NULL
		WHERE id = ?`, state, attempts, now, next, remote.Error(), e.ID)
	if err != nil {
		return fmt.Errorf("record failure of feed entry %d: %w", e.ID, err)
	}
	return nil
}
