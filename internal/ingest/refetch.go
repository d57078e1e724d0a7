package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/store"
)

// refetchInterval spaces the re-fetches of a quoted article by its age:
// outlets edit in the first hours and days, rarely after weeks, so a
// quarter of the age, between an hour and a week.
func refetchInterval(age time.Duration) time.Duration {
	return min(max(age/4, time.Hour), 7*24*time.Hour)
}

// dueRefetches lists the followed articles (followedArticles) whose next
// re-fetch is due.
func (s *Service) dueRefetches(ctx context.Context, now time.Time) ([]int64, error) {
	ids, err := s.followedArticles(ctx)
	if err != nil {
		return nil, err
	}
	var due []int64
	for _, id := range ids {
		var n int
		err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles
			WHERE id = ? AND (next_refetch_at IS NULL OR next_refetch_at <= ?)`, id, now).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("quoted article %d: %w", id, err)
		}
		if n > 0 {
			due = append(due, id)
		}
	}
	return due, nil
}

// followedArticles lists, once each, the articles quoted in editions
// (entry_parts source_url, compared in canonical form with every URL the
// article was met under) or clipped: those re-fetched on a schedule.
func (s *Service) followedArticles(ctx context.Context) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT source_url FROM entry_parts WHERE source_url <> ''`)
	if err != nil {
		return nil, fmt.Errorf("quoted articles: %w", err)
	}
	var urls []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return nil, err
		}
		urls = append(urls, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("quoted articles: %w", err)
	}
	// Clipped articles are followed too, so their clips are re-checked;
	// pasted ones have no page of their own to fetch again.
	clipped, err := s.db.QueryContext(ctx, `SELECT DISTINCT c.article_id FROM clips c
		JOIN articles a ON a.id = c.article_id WHERE a.source <> 'paste'`)
	if err != nil {
		return nil, fmt.Errorf("clipped articles: %w", err)
	}
	ids, err := store.Column[int64](clipped)
	if err != nil {
		return nil, fmt.Errorf("clipped articles: %w", err)
	}
	for _, u := range urls {
		id, err := articleIDByURL(ctx, s.db, extract.CanonicalURL(u))
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	var out []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out, nil
}

// RefetchResult says what a re-fetch found: "unchanged", "edited",
// "deleted", "restored", or "unreachable" (a failure that says nothing
// about the article, such as a timeout), with the failure.
type RefetchResult struct {
	Outcome string
	Err     error
}

// Refetch fetches a stored article again and records an edit (with a
// text diff) or a deletion (404 or 410) with the time it was seen; the
// new page is archived either way. Pasted articles have no URL and are
// left alone.
func (s *Service) Refetch(ctx context.Context, articleID int64) (RefetchResult, error) {
	a, err := ArticleByID(ctx, s.db, articleID)
	if err != nil {
		return RefetchResult{}, err
	}
	target := a.CanonicalURL
	if target == "" {
		target = a.URL
	}
	if target == "" {
		return RefetchResult{Outcome: "unchanged"}, nil
	}
	f, remote, local := s.refetchPage(ctx, target)
	if local != nil {
		return RefetchResult{}, local
	}
	now := s.now()
	base := a.FetchedAt
	if a.Published != nil {
		base = *a.Published
	}
	next := now.Add(refetchInterval(now.Sub(base)))
	res := RefetchResult{Outcome: "unchanged", Err: remote}
	err = s.inTx(ctx, func(tx *store.Tx) error {
		if f != nil {
			if err := f.capt.save(ctx, tx); err != nil {
				return err
			}
		}
		var capt *capture
		if f != nil {
			capt = f.capt
		}
		switch {
		case remote != nil && isGone(remote):
			if a.GoneAt != nil {
				break
			}
			res.Outcome = "deleted"
			var fe *fetch.Error
			errors.As(remote, &fe)
			if err := insertRevision(ctx, tx, a.ID, Revision{Kind: "deleted", SeenAt: now, Status: fe.Status,
				TitleBefore: a.Title, Diff: textDiff(a.Text, ""), CaptureID: capt.id()}, a.ContentHash, ""); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE articles SET gone_at = ? WHERE id = ?`, now, a.ID); err != nil {
				return fmt.Errorf("mark article %d deleted: %w", a.ID, err)
			}
		case remote != nil:
			res.Outcome = "unreachable"
		default:
			if err := s.compareRefetched(ctx, tx, a, f, now, &res); err != nil {
				return err
			}
		}
		if res.Outcome != "unchanged" && res.Outcome != "unreachable" {
			// A revision was recorded: the clips on the article are
			// checked against what it now says.
			if err := clips.Recheck(ctx, tx, s.cfg.Archive(), a.ID, a.Text); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE articles SET last_refetch_at = ?, next_refetch_at = ? WHERE id = ?`, now, next, a.ID)
		return err
	})
	if err != nil {
		return RefetchResult{}, fmt.Errorf("re-fetch article %d: %w", a.ID, err)
	}
	return res, nil
}

// compareRefetched records a restoration and/or an edit.
func (s *Service) compareRefetched(ctx context.Context, tx *store.Tx, a Article, f *fetched, now time.Time, res *RefetchResult) error {
	if a.GoneAt != nil {
		res.Outcome = "restored"
		if err := insertRevision(ctx, tx, a.ID, Revision{Kind: "restored", SeenAt: now, Status: f.resp.Status,
			TitleAfter: f.art.Title, CaptureID: f.capt.id()}, "", a.ContentHash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET gone_at = NULL WHERE id = ?`, a.ID); err != nil {
			return fmt.Errorf("mark article %d restored: %w", a.ID, err)
		}
	}
	next := articleFrom(f, a.OutletID, a.Source)
	next.dedupKeys() // recordEdit finds the quotations if the text changed
	if next.ContentHash == a.ContentHash && next.Title == a.Title {
		return nil
	}
	res.Outcome = "edited"
	if err := s.recordEdit(ctx, tx, a, next, f.capt, now, nil); err != nil {
		return err
	}
	return indexArticle(ctx, tx, a.ID)
}

// isGone reports an answer that says the article no longer exists.
func isGone(err error) bool {
	var fe *fetch.Error
	return errors.As(err, &fe) && (fe.Status == http.StatusNotFound || fe.Status == http.StatusGone)
}
