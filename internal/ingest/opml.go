package ingest

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pressreview/pressreview/internal/feeds"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// ImportResult counts what an OPML import did.
type ImportResult struct {
	Feeds, NewOutlets int
}

// ImportOPML subscribes to every feed of an OPML list. Each feed goes to
// outletKey when given, else to the outlet whose homepage shares the
// feed's site or feed host, else to a new outlet named after the OPML
// entry (of the given kind). Feeds already known are updated, not
// duplicated, so importing a list twice changes nothing.
func ImportOPML(ctx context.Context, db *store.DB, data []byte, outletKey string, kind outlets.Kind) (ImportResult, error) {
	var res ImportResult
	_, subs, err := feeds.ParseOPML(data)
	if err != nil {
		return res, fmt.Errorf("OPML: %w", err)
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		all, err := outlets.ListOutlets(ctx, tx)
		if err != nil {
			return err
		}
		byHost := map[string]outlets.Outlet{}
		for _, o := range all {
			if o.Homepage != "" {
				byHost[siteHost(o.Homepage)] = o
			}
		}
		for _, sub := range subs {
			o, created, err := importOutlet(ctx, tx, sub, outletKey, kind, byHost)
			if err != nil {
				return err
			}
			if created {
				res.NewOutlets++
			}
			f := outlets.Feed{OutletID: o.ID, URL: sourceURL(sub.FeedURL), Title: sub.Title}
			if err := outlets.SaveFeed(ctx, tx, &f); err != nil {
				return err
			}
			res.Feeds++
		}
		return nil
	})
	return res, err
}

func importOutlet(ctx context.Context, tx *store.Tx, sub feeds.Subscription, key string, kind outlets.Kind,
	byHost map[string]outlets.Outlet) (outlets.Outlet, bool, error) {
	if key != "" {
		o, err := outlets.OutletByKey(ctx, tx, key)
		return o, false, err
	}
	for _, u := range []string{sub.SiteURL, sub.FeedURL} {
		if o, ok := byHost[siteHost(u)]; ok && u != "" {
			return o, false, nil
		}
	}
	name := strings.TrimSpace(sub.Title)
	if name == "" {
		name = siteHost(sub.FeedURL)
	}
	home := sub.SiteURL
	if home == "" {
		home = sub.FeedURL
	}
	o := outlets.Outlet{Key: slug(name, siteHost(home)), Name: name, Kind: kind, Homepage: home}
	if err := outlets.SaveOutlet(ctx, tx, &o); err != nil {
		return o, false, fmt.Errorf("OPML entry %q: %w", sub.Title, err)
	}
	byHost[siteHost(home)] = o
	return o, true, nil
}

// slug makes an outlet key from a name, falling back to the host for
// names without Latin letters or digits (Persian titles).
func slug(name, host string) string {
	for _, s := range []string{name, host} {
		var b strings.Builder
		dash := false
		for _, r := range strings.ToLower(s) {
			switch {
			case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				if dash && b.Len() > 0 {
					b.WriteByte('-')
				}
				b.WriteRune(r)
				dash = false
			default:
				dash = true
			}
		}
		if b.Len() > 0 {
			return b.String()
		}
	}
	return "outlet"
}

// ExportOPML writes every feed as an OPML list, grouped by the outlets'
// country and orientation, the way desks group their sources.
func ExportOPML(ctx context.Context, db *store.DB, w io.Writer) error {
	all, err := outlets.ListOutlets(ctx, db)
	if err != nil {
		return err
	}
	byID := map[int64]outlets.Outlet{}
	for _, o := range all {
		byID[o.ID] = o
	}
	fs, err := outlets.ListFeeds(ctx, db, "")
	if err != nil {
		return err
	}
	subs := make([]feeds.Subscription, 0, len(fs))
	for _, f := range fs {
		o := byID[f.OutletID]
		var cats []string
		for _, c := range []string{o.Country, o.Orientation} {
			if c != "" {
				cats = append(cats, c)
			}
		}
		subs = append(subs, feeds.Subscription{Title: o.Name, FeedURL: f.URL, SiteURL: o.Homepage, Categories: cats})
	}
	return feeds.WriteOPML(w, "pressreview outlets", subs)
}
