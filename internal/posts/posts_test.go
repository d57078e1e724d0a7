package posts_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/valid"
)

var now = time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time { t := now.Add(d); return &t }

// field returns the field a validation error names, "" for other errors.
func field(err error) string {
	var ve *valid.Error
	if errors.As(err, &ve) {
		return ve.Path
	}
	return ""
}

func TestValidation(t *testing.T) {
	good := posts.Analysis{Slug: "a", Title: "T", Status: "published", PublishAt: at(0)}
	start := now.Add(time.Hour)
	event := posts.Event{Slug: "e", Title: "E", StartsAt: start, EndsAt: start.Add(time.Hour),
		TimeZone: "America/New_York", Status: "draft"}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"analysis ok", good.Validate(), ""},
		{"bad slug", func() error { a := good; a.Slug = "Not A Slug"; return a.Validate() }(), "slug"},
		{"no title", func() error { a := good; a.Title = " "; return a.Validate() }(), "title"},
		{"no status", func() error { a := good; a.Status = ""; return a.Validate() }(), "status"},
		{"unknown status", func() error { a := good; a.Status = "live"; return a.Validate() }(), "status"},
		{"published without time", func() error { a := good; a.PublishAt = nil; return a.Validate() }(), "publish_at"},
		{"draft without time", func() error { a := good; a.Status, a.PublishAt = "draft", nil; return a.Validate() }(), ""},
		{"bad author key", func() error { a := good; a.Authors = []string{"ok", "Bad Key"}; return a.Validate() }(), "authors[1]"},
		{"event ok", event.Validate(), ""},
		{"event ends first", func() error { e := event; e.EndsAt = start.Add(-time.Minute); return e.Validate() }(), "ends_at"},
		{"event zone", func() error { e := event; e.TimeZone = "Mars/Olympus"; return e.Validate() }(), "time_zone"},
		{"event capacity", func() error { e := event; e.Capacity = -1; return e.Validate() }(), "capacity"},
		{"speaker name", func() error { e := event; e.Speakers = []posts.Speaker{{Role: "chair"}}; return e.Validate() }(), "speakers[0].name"},
		{"image alt", posts.Image{Key: "i", Data: []byte{1}}.Validate(), "alt"},
		{"author name", posts.Author{Key: "k"}.Validate(), "name"},
		{"tag name", posts.Tag{Key: "k"}.Validate(), "name"},
	} {
		if got := field(tc.err); got != tc.want || tc.want == "" && tc.err != nil {
			t.Errorf("%s: error %v, want field %q", tc.name, tc.err, tc.want)
		}
	}
}

func testImage(t *testing.T, w, h int, encode func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) }
func pngOf(b *bytes.Buffer, m image.Image) error  { return png.Encode(b, m) }

// seed saves two authors, three tags and an image.
func seed(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	for _, a := range []posts.Author{{Key: "ali", Name: "Ali Alfoneh", Title: "Senior Fellow", Organisation: "AGSI"}, {Key: "sara", Name: "Sara"}} {
		if err := posts.SaveAuthor(ctx, db, &a); err != nil {
			t.Fatal(err)
		}
	}
	for _, tg := range []posts.Tag{{Key: "nuclear", Name: "Nuclear talks"}, {Key: "russia", Name: "Russia"}, {Key: "gulf", Name: "Gulf"}} {
		if err := posts.SaveTag(ctx, db, &tg); err != nil {
			t.Fatal(err)
		}
	}
	im := posts.Image{Key: "photo", Alt: "A photograph", Caption: "Caption", Credit: "(AP Photo)", Data: testImage(t, 1000, 500, jpegOf)}
	if err := posts.SaveImage(ctx, db, &im); err != nil {
		t.Fatal(err)
	}
}

func save(t *testing.T, db *store.DB, a posts.Analysis) {
	t.Helper()
	if err := posts.SaveAnalysis(context.Background(), db, &a); err != nil {
		t.Fatalf("save %s: %v", a.Slug, err)
	}
}

func TestSaveAndLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)
		in := posts.Analysis{Slug: "dilemma", Category: "Policy Papers", Title: "Iran’s Dilemma", Dek: "Dek",
			Body: "Body with <span lang=\"fa\" dir=\"rtl\">ایران</span>.", Image: "photo",
			Authors: []string{"sara", "ali"}, Tags: []string{"nuclear", "russia"}, Status: "published", PublishAt: at(-time.Hour)}
		save(t, db, in)
		got, err := posts.AnalysisBySlug(ctx, db, "dilemma")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != in.Title || got.Body != in.Body || got.Image != "photo" || !got.PublishAt.Equal(*in.PublishAt) {
			t.Errorf("loaded %+v", got)
		}
		p, err := posts.Find(ctx, db, posts.KindAnalysis, "dilemma", now)
		if err != nil {
			t.Fatal(err)
		}
		// Byline order is kept; tags come sorted by name; the image
		// carries its metadata but not its bytes.
		if len(p.Authors) != 2 || p.Authors[0].Key != "sara" || p.Authors[1].Affiliation() != "Senior Fellow, AGSI" {
			t.Errorf("authors %+v", p.Authors)
		}
		if len(p.Tags) != 2 || p.Tags[0].Name != "Nuclear talks" || p.Image == nil || p.Image.Width != 1000 || p.Image.Data != nil {
			t.Errorf("tags %+v, image %+v", p.Tags, p.Image)
		}

		// Saving again replaces, links included.
		in.Title, in.Authors, in.Tags = "Renamed", []string{"ali"}, nil
		save(t, db, in)
		p, _ = posts.Find(ctx, db, posts.KindAnalysis, "dilemma", now)
		if p.Title != "Renamed" || len(p.Authors) != 1 || len(p.Tags) != 0 {
			t.Errorf("after replace: %q %+v %+v", p.Title, p.Authors, p.Tags)
		}

		// References must exist, and name their field.
		bad := in
		bad.Slug, bad.Tags = "bad", []string{"nuclear", "nope"}
		if err := posts.SaveAnalysis(ctx, db, &bad); field(err) != "tags[1]" {
			t.Errorf("unknown tag: %v", err)
		}
		bad.Tags, bad.Image = nil, "nope"
		if err := posts.SaveAnalysis(ctx, db, &bad); field(err) != "image" {
			t.Errorf("unknown image: %v", err)
		}

		// Drafts and scheduled posts are not public until their time.
		save(t, db, posts.Analysis{Slug: "draft", Title: "Draft", Status: "draft"})
		save(t, db, posts.Analysis{Slug: "later", Title: "Later", Status: "scheduled", PublishAt: at(time.Hour)})
		if _, err := posts.Find(ctx, db, posts.KindAnalysis, "draft", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("draft found: %v", err)
		}
		list, total, err := posts.List(ctx, db, posts.Filter{}, now, 10, 0)
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("public now: %d (%v)", total, err)
		}
		if _, total, _ := posts.List(ctx, db, posts.Filter{}, now.Add(2*time.Hour), 10, 0); total != 2 {
			t.Errorf("public later: %d", total)
		}
		if next, err := posts.NextChange(ctx, db, now); err != nil || !next.Equal(*at(time.Hour)) {
			t.Errorf("next change %v (%v)", next, err)
		}
		if _, total, _ := posts.List(ctx, db, posts.Filter{Category: "Policy Papers", Author: "ali"}, now, 10, 0); total != 1 {
			t.Errorf("filtered: %d", total)
		}
	})
}

func TestEventsAndRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)
		start := now.Add(24 * time.Hour)
		e := posts.Event{Slug: "talk", Title: "Talk", StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "Asia/Tehran",
			Place: "Hall", Capacity: 1, Speakers: []posts.Speaker{{Name: "Ali Alfoneh", Role: "speaker", Author: "ali"}},
			Status: "published", PublishAt: at(-time.Hour)}
		if err := posts.SaveEvent(ctx, db, &e); err != nil {
			t.Fatal(err)
		}
		got, err := posts.EventBySlug(ctx, db, "talk")
		if err != nil || got.Location().String() != "Asia/Tehran" || len(got.Speakers) != 1 || got.Speakers[0].Author != "ali" {
			t.Fatalf("loaded %+v (%v)", got, err)
		}
		reg, fresh, err := posts.RequestRegistration(ctx, db, "talk", "Reader", "reader@x.example", now)
		if !fresh || err != nil {
			t.Fatalf("register: %v %v", fresh, err)
		}
		if _, booked, err := posts.ConfirmRegistration(ctx, db, "talk", reg.ID, now); !booked || err != nil {
			t.Fatalf("confirm: %v %v", booked, err)
		}
		// The same address again keeps one seat and books nothing new,
		// even when the event is full.
		if again, fresh, err := posts.RequestRegistration(ctx, db, "talk", "Reader", "READER@x.example", now); fresh || !again.Confirmed || err != nil {
			t.Errorf("again: %v %+v %v", fresh, again, err)
		}
		if _, _, err := posts.RequestRegistration(ctx, db, "talk", "Other", "other@x.example", now); !errors.Is(err, posts.ErrEventFull) {
			t.Errorf("full: %v", err)
		}
		if _, _, err := posts.RequestRegistration(ctx, db, "talk", "Other", "not an address", now); field(err) != "email" {
			t.Errorf("bad address: %v", err)
		}
		if _, _, err := posts.RequestRegistration(ctx, db, "talk", "Late", "late@x.example", start); !errors.Is(err, posts.ErrEventClosed) {
			t.Errorf("after the start: %v", err)
		}
		up, total, err := posts.ListEvents(ctx, db, now, true, 10, 0)
		if err != nil || total != 1 || up[0].Registered != 1 || up[0].SeatsLeft() != 0 {
			t.Errorf("upcoming: %d %+v (%v)", total, up, err)
		}
	})
}

// Related posts: weights add up as documented, and the order is the same
// on every call and on both stores.
func TestRelatedIsWeightedAndStable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)
		mk := func(slug, title string, ago time.Duration, authors, tags []string) {
			save(t, db, posts.Analysis{Slug: slug, Title: title, Authors: authors, Tags: tags, Status: "published", PublishAt: at(-ago)})
		}
		day := 24 * time.Hour
		mk("self", "Nuclear mediation offer", day, []string{"ali"}, []string{"nuclear", "russia"})
		mk("two-tags", "Unrelated words", 300*day, nil, []string{"nuclear", "russia"})
		mk("tag-author", "Other words", 2*day, []string{"ali"}, []string{"nuclear"})
		mk("one-tag-old", "Different", 400*day, nil, []string{"russia"})
		mk("one-tag-new", "Different too", 2*day, nil, []string{"russia"})
		mk("keywords", "Mediation offer rejected", 2*day, nil, nil)
		mk("one-keyword", "Mediation", 2*day, nil, nil)
		mk("nothing", "Gulf shipping", 2*day, []string{"sara"}, []string{"gulf"})
		self, err := posts.Find(ctx, db, posts.KindAnalysis, "self", now)
		if err != nil {
			t.Fatal(err)
		}
		want := "two-tags tag-author one-tag-new one-tag-old keywords"
		for range 3 {
			rel, err := posts.Related(ctx, db, self, now, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rel {
				got = append(got, p.Slug)
			}
			if strings.Join(got, " ") != want {
				t.Fatalf("related %v, want %s", got, want)
			}
		}
		if rel, _ := posts.Related(ctx, db, self, now, 2); len(rel) != 2 {
			t.Errorf("limit: %d", len(rel))
		}
	})
}

func TestMarkdownIsSanitized(t *testing.T) {
	html, err := posts.RenderMarkdown("# Title\n\n<span lang=\"fa\" dir=\"rtl\">ایران</span> and <q cite=\"https://x.example\">a quote</q>" +
		"<script>alert(1)</script> <a href=\"javascript:alert(2)\" onclick=\"x()\">link</a> <img src=x onerror=alert(3)>\n\n" +
		"<figure><figcaption>Caption</figcaption></figure>")
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	for _, want := range []string{`<h1>Title</h1>`, `<span lang="fa" dir="rtl">ایران</span>`,
		`<q cite="https://x.example">a quote</q>`, `<figcaption>Caption</figcaption>`} {
		if !strings.Contains(s, want) {
			t.Errorf("lost %s in %s", want, s)
		}
	}
	for _, bad := range []string{"<script", "alert(1)", "javascript:", "onclick", "onerror"} {
		if strings.Contains(s, bad) {
			t.Errorf("kept %s in %s", bad, s)
		}
	}
	if got := strings.Join(strings.Fields(posts.PlainText(html)), " "); !strings.HasPrefix(got, "Title ایران and a quote") {
		t.Errorf("plain text %q", got)
	}
}

func TestResize(t *testing.T) {
	for _, tc := range []struct {
		name     string
		data     []byte
		wantType string
	}{
		{"jpeg", testImage(t, 1600, 900, jpegOf), "image/jpeg"},
		{"png", testImage(t, 1600, 900, pngOf), "image/png"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im := posts.Image{Key: "k", ContentType: tc.wantType, Width: 1600, Height: 900, Data: tc.data}
			if got := im.SrcWidths(); len(got) != 4 || got[0] != 480 || got[3] != 1600 {
				t.Errorf("widths %v", got)
			}
			out, ctype, err := posts.Resize(im, 480)
			if err != nil {
				t.Fatal(err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(out))
			if err != nil || ctype != tc.wantType || "image/"+format != tc.wantType || cfg.Width != 480 || cfg.Height != 270 {
				t.Errorf("resized: %s %s %dx%d (%v)", ctype, format, cfg.Width, cfg.Height, err)
			}
			// The original width (or more) is the original file: never enlarged.
			if out, _, _ := posts.Resize(im, 1600); !bytes.Equal(out, tc.data) {
				t.Error("original width re-encoded")
			}
		})
	}
	if small := (posts.Image{Width: 300}).SrcWidths(); len(small) != 1 || small[0] != 300 {
		t.Errorf("small image widths %v", small)
	}
}

func TestImagesOnBothStores(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)
		meta, err := posts.ImageMetaByKey(ctx, db, "photo")
		if err != nil || meta.Width != 1000 || meta.Height != 500 || meta.ContentType != "image/jpeg" || len(meta.Digest) != 64 || meta.Data != nil {
			t.Errorf("meta %+v (%v)", meta, err)
		}
		full, err := posts.ImageByKey(ctx, db, "photo")
		if err != nil || full.Digest != meta.Digest || len(full.Data) == 0 {
			t.Errorf("full: %v", err)
		}
		bad := posts.Image{Key: "bad", Alt: "x", Data: []byte("not an image")}
		if err := posts.SaveImage(ctx, db, &bad); field(err) != "data" {
			t.Errorf("not an image: %v", err)
		}
		if _, err := posts.ImageMetaByKey(ctx, db, "none"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing: %v", err)
		}
	})
}
