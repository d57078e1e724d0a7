package telegram

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePreview(t *testing.T) {
	page, err := Parse(readFixture(t, "khabarfori.html"), "https://t.me/s/khabarfori")
	if err != nil {
		t.Fatal(err)
	}
	if page.Channel != (Channel{Username: "khabarfori", Title: "خبر فوری", Description: "کانال خبری نمونه؛ نوشته برای آزمون"}) {
		t.Errorf("channel = %+v", page.Channel)
	}
	if page.Before != 101 {
		t.Errorf("before = %d, want 101", page.Before)
	}
	var ids []int64
	byID := map[int64]Post{}
	for _, p := range page.Posts {
		ids = append(ids, p.ID)
		byID[p.ID] = p
	}
	// 107 is a service message, 110 a photo without a caption, and one
	// message has no data-post: skipped, each with its reason.
	if want := []int64{101, 102, 103, 106, 109, 111}; !equalIDs(ids, want) {
		t.Fatalf("posts %v, want %v", ids, want)
	}
	if len(page.Skipped) != 3 || !strings.Contains(page.Skipped[0], "khabarfori/107: a service message (Channel photo updated)") ||
		!strings.Contains(page.Skipped[1], "khabarfori/110: media without a caption") ||
		!strings.Contains(page.Skipped[2], "without a post id") {
		t.Errorf("skipped = %q", page.Skipped)
	}

	p := byID[101]
	if p.URL != "https://t.me/khabarfori/101" || p.Views != 12300 || p.Author != "مریم" ||
		!p.Date.Equal(time.Date(2026, 12, 3, 8, 15, 0, 0, time.UTC)) || p.Forward != nil {
		t.Errorf("post 101 = %+v", p)
	}
	wantText := "🔴 سخنگوی دولت: جلسه هیئت دولت فردا صبح با دستور کار بودجه سال آینده برگزار می‌شود.\n\nجزئیات بیشتر پس از جلسه اعلام خواهد شد.\n#بودجه"
	if p.Text != wantText {
		t.Errorf("post 101 text = %q", p.Text)
	}
	if h := p.Headline(); h != "🔴 سخنگوی دولت: جلسه هیئت دولت فردا صبح با دستور کار بودجه سال آینده برگزار می‌شود." {
		t.Errorf("headline = %q", h)
	}

	f := byID[102].Forward
	if f == nil || f.Name != "وزارت امور خارجه" || f.Channel != "vezaratkhareje" || f.PostID != 45 ||
		f.URL != "https://t.me/vezaratkhareje/45" || byID[102].Views != 987 {
		t.Errorf("post 102 forward = %+v, views %d", f, byID[102].Views)
	}

	album := byID[103]
	if !album.Album() || album.Photos != 3 || album.Text != "تصاویری از بازدید رئیس‌جمهور از مناطق سیل‌زده استان سیستان و بلوچستان" {
		t.Errorf("album = %+v", album)
	}

	poll := byID[106].Poll
	if poll == nil || poll.Question != "به نظر شما مذاکرات ژنو به توافق می‌رسد؟" || poll.Type != "Anonymous poll" ||
		len(poll.Options) != 2 || poll.Options[1] != (PollOption{Text: "خیر", Percent: "62%"}) {
		t.Errorf("poll = %+v", poll)
	}
	if body := byID[106].Body(); body != "به نظر شما مذاکرات ژنو به توافق می‌رسد؟\n– بله (38%)\n– خیر (62%)" {
		t.Errorf("poll body = %q", body)
	}

	// Missing fields: no date, no views; the post is kept.
	bare := byID[109]
	if !bare.Date.IsZero() || bare.Views != -1 || !bare.Edited || bare.Text != "قیمت دلار در بازار آزاد امروز کاهش یافت." {
		t.Errorf("post 109 = %+v", bare)
	}

	doc := byID[111]
	if len(doc.Documents) != 1 || doc.Documents[0] != "متن کامل لایحه بودجه ۱۴۰۶.pdf" || doc.Link == nil ||
		doc.Link.URL != "https://example.ir/budget" || doc.Link.Title != "لایحه بودجه سال ۱۴۰۶ کل کشور" || doc.Views != 8000 {
		t.Errorf("post 111 = %+v", doc)
	}
	if !strings.Contains(doc.Body(), "متن کامل لایحه بودجه ۱۴۰۶.pdf") || strings.Count(doc.Body(), "لایحه بودجه سال ۱۴۰۶ کل کشور") != 1 {
		t.Errorf("post 111 body = %q", doc.Body())
	}
}

func TestParseOldestPage(t *testing.T) {
	page, err := Parse(readFixture(t, "khabarfori-before-101.html"), "https://t.me/s/khabarfori?before=101")
	if err != nil {
		t.Fatal(err)
	}
	if page.Before != 0 || len(page.Posts) != 2 || page.Posts[0].ID != 99 || page.Posts[1].Views != 2000 {
		t.Errorf("page = %+v", page)
	}
}

func TestParseNotPreview(t *testing.T) {
	_, err := Parse(readFixture(t, "no-channel.html"), "https://t.me/s/nosuchchannel")
	if !errors.Is(err, ErrNotPreview) || !strings.Contains(err.Error(), "https://t.me/s/nosuchchannel") {
		t.Errorf("err = %v", err)
	}
	if Looks(readFixture(t, "no-channel.html")) || !Looks(readFixture(t, "khabarfori.html")) {
		t.Error("Looks does not tell a preview from a contact page")
	}
}

func TestChannelOf(t *testing.T) {
	for in, want := range map[string]string{
		"tg:khabarfori":                    "khabarfori",
		"@khabarfori":                      "khabarfori",
		"https://t.me/s/khabarfori":        "khabarfori",
		"https://t.me/khabarfori":          "khabarfori",
		"https://telegram.me/khabarfori/":  "khabarfori",
		"https://t.me/khabarfori/101":      "",
		"https://example.ir/s/khabarfori":  "",
		"tg:no spaces":                     "",
		"https://t.me/s/1digitfirst":       "",
		"ftp://t.me/s/khabarfori":          "",
		"https://www.t.me/s/Khabar_Fori_2": "Khabar_Fori_2",
	} {
		got, ok := ChannelOf(in)
		if got != want || ok != (want != "") {
			t.Errorf("ChannelOf(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if u := BeforeURL("http://127.0.0.1:8080/s/khabarfori", 101); u != "http://127.0.0.1:8080/s/khabarfori?before=101" {
		t.Errorf("BeforeURL = %s", u)
	}
}

func TestParseViews(t *testing.T) {
	for in, want := range map[string]int64{"987": 987, "12.3K": 12300, "1.2M": 1200000, "8K": 8000, "1,024": 1024} {
		if got, err := parseViews(in); err != nil || got != want {
			t.Errorf("parseViews(%q) = %d, %v", in, got, err)
		}
	}
	if _, err := parseViews("many"); err == nil {
		t.Error("parseViews(many) gave no error")
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
