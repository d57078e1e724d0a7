package posts_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestEventOnlineLinkMustBeHTTPS(t *testing.T) {
	start := now.Add(time.Hour)
	e := posts.Event{Slug: "e", Title: "E", StartsAt: start, EndsAt: start, TimeZone: "Asia/Tehran", Status: "draft"}
	for link, want := range map[string]string{
		"":                               "",
		"https://events.example.org/x":   "",
		"http://events.example.org/x":    "online_url",
		"javascript:alert(1)":            "online_url",
		"https:///no-host":               "online_url",
		"events.example.org/no-scheme":   "online_url",
		"https://events.example.org/%zz": "online_url",
	} {
		e.OnlineURL = link
		if got := field(e.Validate()); got != want {
			t.Errorf("online link %q: field %q, want %q", link, got, want)
		}
	}
}

// pngHeader is the start of a PNG that claims w×h pixels: enough for
// image.DecodeConfig, which reads only the header.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 2 // 8-bit RGB
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

func TestStudioListings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)

		// A small file that claims a huge canvas is refused before the
		// site would decode it.
		bomb := posts.Image{Key: "bomb", Alt: "x", Data: pngHeader(10000, 5000)}
		if err := posts.SaveImage(ctx, db, &bomb); field(err) != "data" || !strings.Contains(err.Error(), "10000×5000") {
			t.Errorf("huge image: %v", err)
		}
		chart := posts.Image{Key: "chart", Alt: "A chart", Data: testImage(t, 300, 200, pngOf)}
		if err := posts.SaveImage(ctx, db, &chart); err != nil {
			t.Fatal(err)
		}
		images, err := posts.ListImages(ctx, db)
		if err != nil || len(images) != 2 {
			t.Fatalf("images %+v (%v)", images, err)
		}
		for _, im := range images {
			if im.Data != nil || im.Alt == "" || im.Width == 0 {
				t.Errorf("listed image %+v", im)
			}
		}

		save(t, db, posts.Analysis{Slug: "draft", Title: "Draft", Status: "draft", Authors: []string{"sara", "ali"}, Tags: []string{"russia", "nuclear"}})
		save(t, db, posts.Analysis{Slug: "out", Title: "Out", Status: "published", PublishAt: at(-time.Hour)})
		list, err := posts.ListAnalyses(ctx, db)
		if err != nil || len(list) != 2 {
			t.Fatalf("analyses %+v (%v)", list, err)
		}
		byslug := map[string]posts.AnalysisRow{}
		for _, a := range list {
			byslug[a.Slug] = a
		}
		if d := byslug["draft"]; d.Status != "draft" || d.PublishAt != nil || strings.Join(d.Authors, ",") != "Sara,Ali Alfoneh" || d.Category != "Analysis" {
			t.Errorf("draft row %+v", d)
		}
		if o := byslug["out"]; o.PublishAt == nil || !o.PublishAt.Equal(*at(-time.Hour)) || len(o.Authors) != 0 {
			t.Errorf("published row %+v", o)
		}
		// The form is filled from what was saved: byline order, tags.
		a, err := posts.AnalysisBySlug(ctx, db, "draft")
		if err != nil || strings.Join(a.Authors, ",") != "sara,ali" || strings.Join(a.Tags, ",") != "nuclear,russia" {
			t.Errorf("loaded %+v (%v)", a, err)
		}

		start := now.Add(24 * time.Hour)
		for _, e := range []posts.Event{
			{Slug: "later", Title: "Later", StartsAt: start.Add(time.Hour), EndsAt: start.Add(2 * time.Hour), TimeZone: "Asia/Tehran", Status: "draft"},
			{Slug: "sooner", Title: "Sooner", StartsAt: start, EndsAt: start, TimeZone: "UTC", Status: "published", PublishAt: at(0)},
		} {
			if err := posts.SaveEvent(ctx, db, &e); err != nil {
				t.Fatal(err)
			}
		}
		events, err := posts.AllEvents(ctx, db)
		if err != nil || len(events) != 2 || events[0].Slug != "later" || events[1].Slug != "sooner" {
			t.Fatalf("events %v (%v)", events, err)
		}
	})
}
