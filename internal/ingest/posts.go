package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// postSource is an article read whole from what a poll fetched and
// archived: a Telegram post from the channel's preview, an X post from an
// RSS bridge's feed. There is no page of its own to fetch (an X post's
// page is a script that needs a login; a Telegram post's page is the
// preview's widget), so it is stored in the poll's transaction.
type postSource struct {
	a       *Article // without ID; a fresh copy is stored, so a retried transaction starts clean
	aliases []string // other canonical URLs of the post
	capt    *capture // the archived page or feed it was read from
	// forwardOf is the canonical URL of the post this one forwards or
	// reposts, "" for an original.
	forwardOf string
}

// storingPosts returns the poll's handler of new entries: those that are
// posts in byURL (by canonical URL) are stored at once; the others stay
// pending, for the scheduler to hand out for fetching as usual.
func (s *Service) storingPosts(byURL map[string]postSource) newEntriesFunc {
	if len(byURL) == 0 {
		return nil
	}
	return func(ctx context.Context, tx *store.Tx, ids []int64, now time.Time) error {
		return s.storePosts(ctx, tx, byURL, ids, now)
	}
}

// storePosts stores the articles of the posts behind the new entries, in
// the poll's transaction, and marks the entries done; entries it has no
// post for stay pending. It takes the story lock after the poll's own
// writes (captures, entries, the feed's row), which no article-storing
// transaction waits for, so the order cannot deadlock.
func (s *Service) storePosts(ctx context.Context, tx *store.Tx, byURL map[string]postSource, ids []int64,
	now time.Time) error {
	var saved []search.Source
	var done []entryDone
	locked := false
	for _, id := range ids {
		var u string
		if err := tx.QueryRowContext(ctx, `SELECT url FROM feed_entries WHERE id = ?`, id).Scan(&u); err != nil {
			return fmt.Errorf("feed entry %d: %w", id, err)
		}
		p, ok := byURL[u]
		if !ok {
			continue
		}
		if !locked {
			if err := lockStories(ctx, tx); err != nil {
				return err
			}
			locked = true
		}
		a := *p.a
		if a.FetchedAt.IsZero() {
			a.FetchedAt = now
		}
		how, err := s.saveArticle(ctx, tx, &a, p.aliases, p.capt, nil)
		if err != nil {
			return err
		}
		if how == savedNew || how == savedEdit {
			saved = append(saved, a.searchSource())
		}
		if how == savedNew {
			if err := joinForwarded(ctx, tx, &a, p.forwardOf); err != nil {
				return err
			}
		}
		done = append(done, entryDone{id, a.ID})
	}
	if err := markEntriesDone(ctx, tx, done, now); err != nil {
		return err
	}
	return indexSaved(ctx, tx, saved)
}

// joinForwarded puts a forward or repost in the story of the post it
// forwards, when the desk follows that source and has the post: the link
// is exact, where the text may have been cut or signed.
func joinForwarded(ctx context.Context, tx *store.Tx, a *Article, forwardOf string) error {
	if forwardOf == "" {
		return nil
	}
	orig, err := articleIDByURL(ctx, tx, forwardOf)
	if err != nil || orig == 0 || orig == a.ID {
		return err
	}
	var story int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(story_id, id) FROM articles WHERE id = ?`, orig).Scan(&story); err != nil {
		return fmt.Errorf("story of forwarded post %s: %w", forwardOf, err)
	}
	if story == a.StoryID {
		return nil
	}
	// The forward's own story, if it started one, moves with it.
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET story_id = ? WHERE story_id = ? OR id = ?`, story, a.ID, a.ID); err != nil {
		return fmt.Errorf("join forward %d to story %d: %w", a.ID, story, err)
	}
	a.StoryID = story
	return nil
}
