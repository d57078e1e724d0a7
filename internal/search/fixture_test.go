package search

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// The fixture: five outlets of three camps and three languages, and
// articles written for these tests that spell the same words in the ways
// the Iranian press does (half-space, full space, joined; Arabic or
// Persian yeh and kaf; harakat; Persian digits).
var fixtureOutlets = []outlets.Outlet{
	{Key: "kayhan", Name: "Kayhan", NativeName: "کیهان", Kind: outlets.Newspaper, Language: "fa", Orientation: "hard-line"},
	{Key: "shargh", Name: "Shargh Daily", NativeName: "شرق", Kind: outlets.Newspaper, Language: "fa", Orientation: "reformist"},
	{Key: "tasnim", Name: "Tasnim", Kind: outlets.NewsAgency, Language: "fa", Orientation: "IRGC-affiliated"},
	{Key: "alalam", Name: "Al-Alam", Kind: outlets.TV, Language: "ar", Orientation: "state-run"},
	{Key: "presstv", Name: "Press TV", Kind: outlets.TV, Language: "en", Orientation: "state-run"},
}

type fixtureArticle struct {
	key, outlet, lang, day string
	title, text            string
}

var fixtureArticles = []fixtureArticle{
	{"kayhan-putin", "kayhan", "fa", "2025-03-03", "پیشنهاد میانجی‌گری پوتین",
		"کیهان نوشت: پوتین پیشنهاد داد که میان تهران و واشنگتن میانجی‌گری کند. این روزنامه می‌نویسد که آمریکا قابل اعتماد نیست."},
	{"shargh-putin", "shargh", "fa", "2025-03-04", "ميانجي گري روسيه",
		"روزنامه اصلاح‌طلب شرق از پیشنهاد پوتین استقبال کرد و نوشت دیپلماسی می رود تا راهی تازه بیابد. مذاکرات هسته‌ای باید ادامه یابد."},
	{"tasnim-sanctions", "tasnim", "fa", "2025-03-05", "تحریم‌های جدید آمریکا",
		"خبرگزاری تسنیم گزارش داد که تحریم ها علیه ایران افزایش یافته است. مذاکرات هسته ای در ۱۴۰۳ متوقف شد."},
	{"alalam-putin", "alalam", "ar", "2025-03-04", "بوتين يعرض الوساطة بين إيران وأمريكا",
		"عرض الرئيس الروسي فلاديمير بوتين الوَساطةَ في المحادثات النووية."},
	{"presstv-putin", "presstv", "en", "2025-03-06", "Putin offers to mediate between Iran and the US",
		"Russian President Vladimir Putin has offered to mediate nuclear talks between Tehran and Washington, Press TV reports. Sanctions remain in place."},
	{"presstv-oman", "presstv", "en", "2025-03-10", "Oman hosts nuclear talks",
		"Oman hosted a round of nuclear talks. No mediation by Russia was mentioned."},
	{"kayhan-talks", "kayhan", "fa", "2025-03-11", "مذاکره با آمریکا خیانت است",
		"کیهان: مذاکرات هسته‌ای با آمریکا بی‌فایده است و تحریمها ادامه دارد."},
	// The title ends and the text starts with the two words of a phrase
	// that must not match across them.
	{"presstv-boundary", "presstv", "en", "2025-03-12", "Diplomats expect progress in talks",
		"Collapse of the process is not expected, officials said."},
}

// seedFixture inserts the fixture and indexes it; it returns article IDs by key.
func seedFixture(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		outletIDs := map[string]int64{}
		for _, o := range fixtureOutlets {
			if err := outlets.SaveOutlet(ctx, tx, &o); err != nil {
				return err
			}
			outletIDs[o.Key] = o.ID
		}
		for _, a := range fixtureArticles {
			day, err := parseDay(a.day)
			if err != nil {
				return err
			}
			id, err := insertArticle(ctx, tx, outletIDs[a.outlet], "https://example.org/"+a.key, a.title, a.text, a.lang, day.Add(9*time.Hour))
			if err != nil {
				return err
			}
			ids[a.key] = id
			if err := IndexArticle(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func insertArticle(ctx context.Context, q store.Querier, outletID int64, url, title, body, lang string, published time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO articles (outlet_id, url, canonical_url, title, text, lang, published_at, source)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'import') RETURNING id`, outletID, url, url, title, body, lang, sql.NullTime{Time: published, Valid: !published.IsZero()}).Scan(&id)
	return id, err
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := parseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
