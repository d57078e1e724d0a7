package feeds

import (
	"slices"
	"testing"
)

func TestDiscover(t *testing.T) {
	const page = `<!DOCTYPE html><html lang="fa" dir="rtl"><head>
<base href="https://www.example.ir/fa/">
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="همه اخبار" href="rss/all">
<link rel="alternate home" type="application/atom+xml" href="/atom.xml">
<link rel="ALTERNATE" type="application/feed+json; charset=utf-8" href="https://cdn.example.ir/feed.json">
<link rel="alternate" type="application/rss+xml" href="rss/all">
<link rel="alternate" hreflang="en" href="/en/">
<link rel="alternate" type="application/rss+xml" href="">
</head><body><a href="/rss">RSS</a></body></html>`
	got := Discover([]byte(page), "https://www.example.ir/")
	want := []Link{
		{URL: "https://www.example.ir/fa/rss/all", Title: "همه اخبار", Type: "application/rss+xml"},
		{URL: "https://www.example.ir/atom.xml", Type: "application/atom+xml"},
		{URL: "https://cdn.example.ir/feed.json", Type: "application/feed+json"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if links := Discover([]byte("<html><head><link rel=alternate type=application/rss+xml href=feed></head>"), "http://example.com/blog/"); len(links) != 1 || links[0].URL != "http://example.com/blog/feed" {
		t.Errorf("relative to page: %+v", links)
	}
	if links := Discover([]byte("<html><p>no feeds"), "http://example.com/"); links != nil {
		t.Errorf("want none, got %+v", links)
	}
}

func TestCandidateURLs(t *testing.T) {
	got := CandidateURLs("https://www.example.ir/fa/index.html")
	if len(got) != len(CommonPaths) || got[0] != "https://www.example.ir/feed" || !slices.Contains(got, "https://www.example.ir/sitemap.xml") {
		t.Errorf("got %v", got)
	}
	if CandidateURLs("not a url") != nil {
		t.Error("want nil for a URL without host")
	}
}
