package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestGroupCopiesAsLookedUpOneByOne: in a group whose stored copies are
// looked up at once (groupCopies, on PostgreSQL), each article is saved
// as looking it up on its own would save it — an edit, a copy by URL and
// by content hash — also after an earlier article of the group edited the
// row it finds, took its story over, or was met under one of its URLs;
// and a new article finds its story, also when an earlier article of the
// group took that story over or is that story.
func TestGroupCopiesAsLookedUpOneByOne(t *testing.T) {
	london := strings.NewReplacer("{city}", "London", "{sky}", "sunny", "{high}", "24", "{low}", "14", "{day}", "Monday").Replace(weatherEn)
	cut := func(prefix, sentence string) string { return prefix + strings.Replace(london, sentence, "", 1) }
	reprint := cut("LONDON (Wire) - ", " Visibility is expected to improve quickly once the sun rises.")
	earlier := cut("(Agency) ", " Winds will be light and variable for much of the day before picking up slightly after dark.")
	kerman := strings.NewReplacer("{mag}", "۴٫۶", "{place}", "راور", "{province}", "کرمان", "{time}", "۰۳:۱۴", "{depth}", "۱۰").Replace(quakeFa)
	kermanReprint := agencyCredit + "\n\n" + strings.Replace(kerman,
		" به گفته او، بازدید از ساختمان‌های دولتی و مراکز درمانی از صبح امروز آغاز شده است.", "", 1)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, o := quoteDesk(t, db)
		day := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
		article := func(url, body string, published time.Duration) *Article {
			at := day.Add(published)
			return &Article{OutletID: o.ID, URL: url, CanonicalURL: url, Title: "Title of " + url,
				Text: body, Published: &at, FetchedAt: time.Now().UTC(), Source: "url"}
		}
		u := func(n int) string { return fmt.Sprintf("https://www.irna.ir/news/%d", n) }
		seed := func(a *Article) *Article {
			t.Helper()
			if err := svc.inTx(ctx, func(tx *store.Tx) error {
				if err := lockStories(ctx, tx); err != nil {
					return err
				}
				how, err := svc.saveArticle(ctx, tx, a, nil, nil, nil)
				if err == nil && how != savedNew {
					err = fmt.Errorf("saved as %v", how)
				}
				return err
			}); err != nil {
				t.Fatalf("seed %s: %v", a.URL, err)
			}
			return a
		}
		x := seed(article(u(1), zarifText, 0))
		y := seed(article(u(2), london, 2*time.Hour))
		y2 := seed(article(u(5), reprint, 3*time.Hour))
		z := seed(article(u(3), "The central bank kept its rates unchanged on Tuesday.", 0))
		if y2.StoryID != y.ID {
			t.Fatalf("the reprint is in story %d, want %d", y2.StoryID, y.ID)
		}

		const alias = "https://www.irna.ir/amp/7"
		group := []struct {
			a      *Article
			alias  []string
			want   saved
			id     int64 // 0: a new article
			story  func(saved []*Article) int64
			reason string
		}{
			{article(u(1), zarifEdited, 0), nil, savedEdit, x.ID, nil, "an edit, its stored row read with the group's lookup"},
			{article(u(2), london, 0), nil, savedCopy, y.ID, nil, "a copy found by URL"},
			{article(u(4), earlier, time.Hour), nil, savedNew, 0, func(s []*Article) int64 { return s[2].ID },
				"a reprint published before the story's first article takes the story over"},
			{article(u(5), reprint, 0), nil, savedCopy, y2.ID, func(s []*Article) int64 { return s[2].ID },
				"a copy in the story taken over: looked up again"},
			{article(u(9), cut("Wire - ", " Road users were told to allow extra time for journeys in the early morning,"), 4*time.Hour), nil,
				savedNew, 0, func(s []*Article) int64 { return s[2].ID }, "a reprint of the story taken over earlier in the group"},
			{article(u(10), kerman, 0), nil, savedNew, 0, func(s []*Article) int64 { return s[5].ID }, "a story of its own"},
			{article(u(11), kermanReprint, time.Hour), nil, savedNew, 0, func(s []*Article) int64 { return s[5].ID },
				"a reprint of an article inserted earlier in the group"},
			{article(u(1), zarifText, 0), nil, savedEdit, x.ID, nil, "the row an earlier article edited: looked up again"},
			{article(u(6), z.Text, 0), nil, savedCopy, z.ID, nil, "a copy found by outlet and content hash"},
			{article(u(7), "The talks would resume on Monday in Vienna, the minister said.", 0), []string{alias}, savedNew, 0, nil,
				"a new article met under an alias too"},
			{article(u(8), "The talks would resume on Tuesday in Geneva, the minister said.", 0), []string{alias}, savedEdit, 0, nil,
				"met under the alias saved earlier in the group: looked up again, an edit"},
		}
		err := svc.inTx(ctx, func(tx *store.Tx) error {
			var arts []*Article
			var aliases [][]string
			for _, g := range group {
				arts, aliases = append(arts, g.a), append(aliases, g.alias)
			}
			writes, err := beginGroup(ctx, tx, arts, aliases)
			if err != nil {
				return err
			}
			if writes.copies.loaded != (db.Dialect() == store.Postgres) {
				return fmt.Errorf("group lookup loaded: %v on %s", writes.copies.loaded, db.Dialect())
			}
			var saved []*Article
			for i, g := range group {
				how, err := svc.saveArticle(ctx, tx, g.a, g.alias, nil, writes)
				if err != nil {
					return err
				}
				saved = append(saved, g.a)
				if how != g.want || g.id != 0 && g.a.ID != g.id {
					t.Errorf("article %d (%s): saved as %v, article %d; want %v, article %d", i, g.reason, how, g.a.ID, g.want, g.id)
				}
				if g.story != nil && g.a.StoryID != g.story(saved) {
					t.Errorf("article %d (%s): story %d, want %d", i, g.reason, g.a.StoryID, g.story(saved))
				}
			}
			return writes.flush(ctx, tx, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ArticleByID(ctx, db, x.ID)
		if err != nil || got.Text != zarifText {
			t.Errorf("article %d after two edits: %.30q, %v; want the first text back", x.ID, got.Text, err)
		}
		if revs, err := Revisions(ctx, db, x.ID); err != nil || len(revs) != 2 || !strings.Contains(revs[0].Diff, "- ") {
			t.Errorf("revisions of article %d: %d, %v; want 2 with a diff", x.ID, len(revs), err)
		}
		if qs := quotesOf(t, db, x.ID); len(qs) == 0 {
			t.Errorf("article %d has no quote candidates after its edits", x.ID)
		}
	})
}

// TestGroupWaitingRowsRead: on PostgreSQL a group's new rows and edits
// wait for its end (groupWrites); a near duplicate's text read in the
// group — its tokens no longer kept in memory — is read as the group
// left it: the row edited earlier in the group with its new text, the
// row inserted earlier in the group at all. The rows are then stored as
// saved, in their stories.
func TestGroupWaitingRowsRead(t *testing.T) {
	fill := func(tmpl string, kv ...string) string { return strings.NewReplacer(kv...).Replace(tmpl) }
	cutSentence := " به گفته او، بازدید از ساختمان‌های دولتی و مراکز درمانی از صبح امروز آغاز شده است."
	kerman := fill(quakeFa, "{mag}", "۴٫۶", "{place}", "راور", "{province}", "کرمان", "{time}", "۰۳:۱۴", "{depth}", "۱۰")
	hormozgan := fill(quakeFa, "{mag}", "۴٫۱", "{place}", "بندر خمیر", "{province}", "هرمزگان", "{time}", "۱۷:۴۰", "{depth}", "۸")
	london := fill(weatherEn, "{city}", "London", "{sky}", "sunny", "{high}", "24", "{low}", "14", "{day}", "Monday")
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, o := quoteDesk(t, db)
		article := irnaArticles(o.ID)
		x := article(1, london, 0)
		saveAlone(t, svc, x)
		group := []struct {
			a      *Article
			want   saved
			story  func(saved []*Article) int64
			reason string
		}{
			{article(1, kerman, 0), savedEdit, func([]*Article) int64 { return x.ID }, "the stored row given another text"},
			{article(2, agencyCredit+"\n\n"+strings.Replace(kerman, cutSentence, "", 1), time.Hour), savedNew,
				func([]*Article) int64 { return x.ID }, "a reprint of the edited row's new text"},
			{article(3, hormozgan, 0), savedNew, func(s []*Article) int64 { return s[2].ID }, "a story of its own"},
			{article(4, agencyCredit+"\n\n"+strings.Replace(hormozgan, cutSentence, "", 1), time.Hour), savedNew,
				func(s []*Article) int64 { return s[2].ID }, "a reprint of a row inserted in the group"},
		}
		err := svc.inTx(ctx, func(tx *store.Tx) error {
			var arts []*Article
			for _, g := range group {
				arts = append(arts, g.a)
			}
			writes, err := beginGroup(ctx, tx, arts, nil)
			if err != nil {
				return err
			}
			var saved []*Article
			for i, g := range group {
				svc.forms = newStoryForms() // the candidates' texts are read
				how, err := svc.saveArticle(ctx, tx, g.a, nil, nil, writes)
				if err != nil {
					return err
				}
				saved = append(saved, g.a)
				if how != g.want || g.a.StoryID != g.story(saved) {
					t.Errorf("article %d (%s): saved as %v in story %d; want %v in story %d", i, g.reason, how, g.a.StoryID, g.want, g.story(saved))
				}
			}
			return writes.flush(ctx, tx, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, g := range group {
			got, err := ArticleByID(ctx, db, g.a.ID)
			if err != nil || got.Text != g.a.Text || got.StoryID != g.a.StoryID || got.ContentHash != g.a.ContentHash {
				t.Errorf("article %d (%s): stored %.20q in story %d, %v; want %.20q in story %d", i, g.reason, got.Text, got.StoryID, err, g.a.Text, g.a.StoryID)
			}
		}
		if revs, err := Revisions(ctx, db, x.ID); err != nil || len(revs) != 1 {
			t.Errorf("revisions of article %d: %d, %v; want 1", x.ID, len(revs), err)
		}
	})
}

// TestGroupShortTextsAmongWaitingRows: a group's short texts are stored at
// once, with their keys, among the rows that wait for the group's end
// (on PostgreSQL), without writing those first — a short text's story is
// a stored short text's — and each finds its story as before: a repost
// the statement stored earlier in the group, a repost published earlier
// takes the story over, another statement has its own. The long articles
// between them keep theirs, their rows written at the group's end.
func TestGroupShortTextsAmongWaitingRows(t *testing.T) {
	const statement = "سخنگوی وزارت امور خارجه امروز گفت هیئت ایرانی با دستور کار روشن و اختیارات کامل در گفتگوهای هفته آینده ژنو حاضر خواهد شد"
	cutSentence := " به گفته او، بازدید از ساختمان‌های دولتی و مراکز درمانی از صبح امروز آغاز شده است."
	kerman := strings.NewReplacer("{mag}", "۴٫۶", "{place}", "راور", "{province}", "کرمان", "{time}", "۰۳:۱۴", "{depth}", "۱۰").Replace(quakeFa)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, o := quoteDesk(t, db)
		article := irnaArticles(o.ID)
		group := []struct {
			a      *Article
			short  bool
			story  func(saved []*Article) int64
			reason string
		}{
			{article(1, kerman, 0), false, func(s []*Article) int64 { return s[0].ID }, "a long article, its row waiting"},
			{article(2, statement, 2*time.Hour), true, func(s []*Article) int64 { return s[1].ID }, "a statement"},
			{article(3, agencyCredit+"\n\n"+strings.Replace(kerman, cutSentence, "", 1), time.Hour), false,
				func(s []*Article) int64 { return s[0].ID }, "a reprint of the waiting row"},
			{article(4, "🔴 فوری | "+strings.Replace(statement, "امروز", "صبح امروز", 1)+" @khabar_now", 3*time.Hour), true,
				func(s []*Article) int64 { return s[1].ID }, "a repost of the statement stored in the group"},
			{article(5, strings.Replace(statement, "امروز", "امروز صبح", 1)+" #ژنو", time.Hour), true,
				func(s []*Article) int64 { return s[4].ID }, "a repost published before the statement takes its story over"},
			{article(6, "سخنگوی وزارت امور خارجه امروز درباره سفر وزیر به مسکو گفت این سفر برای پیگیری توافق‌های اقتصادی انجام می‌شود", 0), true,
				func(s []*Article) int64 { return s[5].ID }, "another statement"},
		}
		err := svc.inTx(ctx, func(tx *store.Tx) error {
			var arts []*Article
			for _, g := range group {
				arts = append(arts, g.a)
			}
			writes, err := beginGroup(ctx, tx, arts, nil)
			if err != nil {
				return err
			}
			for _, g := range group {
				if short := len(g.a.shortKeys) > 0; short != g.short || short == g.a.fingerprinted {
					return fmt.Errorf("%s: short-text keys %v, fingerprinted %v", g.reason, short, g.a.fingerprinted)
				}
			}
			var saved []*Article
			for i, g := range group {
				how, err := svc.saveArticle(ctx, tx, g.a, nil, nil, writes)
				if err != nil {
					return err
				}
				saved = append(saved, g.a)
				if how != savedNew || g.a.StoryID != g.story(saved) {
					t.Errorf("article %d (%s): saved as %v in story %d; want new in story %d", i, g.reason, how, g.a.StoryID, g.story(saved))
				}
				if i == 3 && db.Dialect() == store.Postgres && len(writes.inserts) != 2 {
					t.Errorf("after the short texts, %d rows wait, want the 2 long articles'", len(writes.inserts))
				}
			}
			return writes.flush(ctx, tx, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		// The statement and its first repost are in the story the later
		// repost took over.
		final := []int{0, 4, 0, 4, 4, 5}
		for i, g := range group {
			got, err := ArticleByID(ctx, db, g.a.ID)
			if want := group[final[i]].a.ID; err != nil || got.Text != g.a.Text || got.StoryID != want {
				t.Errorf("article %d (%s): stored %.20q in story %d, %v; want %.20q in story %d", i, g.reason, got.Text, got.StoryID, err, g.a.Text, want)
			}
			keys := count(t, db, `SELECT COUNT(*) FROM article_short_keys WHERE article_id = ?`, g.a.ID)
			// A band key met twice in a text is stored once.
			if want := len(g.a.shortKeys); keys > want || (keys == 0) != (want == 0) {
				t.Errorf("article %d (%s): %d short-text keys stored, want %d", i, g.reason, keys, want)
			}
		}
	})
}

// TestGroupShortTextAfterShortTextEdited: a stored short text edited in a
// group into a long one (its edit waiting, on PostgreSQL) no longer has
// its text, keys or story for the group's short texts after it: the same
// short text again, in the same outlet, is a new article in a story of
// its own, as it would be stored after the edit on its own, and its
// repost joins it.
func TestGroupShortTextAfterShortTextEdited(t *testing.T) {
	const statement = "سخنگوی وزارت امور خارجه امروز گفت هیئت ایرانی با دستور کار روشن و اختیارات کامل در گفتگوهای هفته آینده ژنو حاضر خواهد شد"
	kerman := strings.NewReplacer("{mag}", "۴٫۶", "{place}", "راور", "{province}", "کرمان", "{time}", "۰۳:۱۴", "{depth}", "۱۰").Replace(quakeFa)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, o := quoteDesk(t, db)
		article := irnaArticles(o.ID)
		e := article(1, statement, 0)
		saveAlone(t, svc, e)
		group := []*Article{
			article(1, kerman, 0), // e edited into a long text
			article(2, statement, time.Hour),
			article(3, "🔴 فوری | "+strings.Replace(statement, "امروز", "صبح امروز", 1), 2*time.Hour),
		}
		want := []saved{savedEdit, savedNew, savedNew}
		err := svc.inTx(ctx, func(tx *store.Tx) error {
			writes, err := beginGroup(ctx, tx, group, nil)
			if err != nil {
				return err
			}
			for i, a := range group {
				how, err := svc.saveArticle(ctx, tx, a, nil, nil, writes)
				if err != nil {
					return fmt.Errorf("article %d: %w", i, err)
				}
				if how != want[i] {
					t.Errorf("article %d: saved as %v, want %v", i, how, want[i])
				}
			}
			return writes.flush(ctx, tx, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, wantStory := range []int64{e.ID, group[1].ID, group[1].ID} {
			got, err := ArticleByID(ctx, db, group[i].ID)
			if err != nil || got.Text != group[i].Text || got.StoryID != wantStory {
				t.Errorf("article %d: stored %.20q in story %d, %v; want %.20q in story %d", i, got.Text, got.StoryID, err, group[i].Text, wantStory)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM article_short_keys WHERE article_id = ?`, e.ID); n != 0 {
			t.Errorf("the edited article keeps %d short-text keys", n)
		}
	})
}

// irnaArticles makes the groups' articles of outlet: article n at an
// IRNA URL of its own, with body as text, published that long after the
// tests' day.
func irnaArticles(outlet int64) func(n int, body string, published time.Duration) *Article {
	day := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	return func(n int, body string, published time.Duration) *Article {
		at := day.Add(published)
		url := fmt.Sprintf("https://www.irna.ir/news/%d", n)
		return &Article{OutletID: outlet, URL: url, CanonicalURL: url, Title: "Title of " + url,
			Text: body, Published: &at, FetchedAt: time.Now().UTC(), Source: "url"}
	}
}

// beginGroup begins a test's group in tx as storeGroup does: the story
// lock taken, and the copies of arts among the stored rows looked up at
// once (aliases: the URLs each was met under; nil for none), their keys
// computed first.
func beginGroup(ctx context.Context, tx *store.Tx, arts []*Article, aliases [][]string) (*groupWrites, error) {
	if err := lockStories(ctx, tx); err != nil {
		return nil, err
	}
	for _, a := range arts {
		a.keys()
	}
	if aliases == nil {
		aliases = make([][]string, len(arts))
	}
	var writes groupWrites
	if err := writes.copies.load(ctx, tx, arts, aliases); err != nil {
		return nil, err
	}
	return &writes, nil
}

// saveAlone stores a, in a transaction of its own under the story lock,
// before a test's group.
func saveAlone(t *testing.T, svc *Service, a *Article) {
	t.Helper()
	ctx := context.Background()
	if err := svc.inTx(ctx, func(tx *store.Tx) error {
		if err := lockStories(ctx, tx); err != nil {
			return err
		}
		_, err := svc.saveArticle(ctx, tx, a, nil, nil, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
