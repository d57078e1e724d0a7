package extract

import (
	"strings"
	"testing"
)

// page wraps body paragraphs in a page with the usual furniture around.
func page(article string, around ...string) []byte {
	return []byte(`<!doctype html><html lang="en"><head><title>A test page</title></head><body>` +
		`<nav><a href="/">Home</a> <a href="/world">World</a></nav>` + strings.Join(around, "") +
		`<article><h1>A test page</h1>` + article + `</article>` +
		`<footer><p>All rights reserved. Contact the newsroom at any time of day or night.</p></footer></body></html>`)
}

const (
	p1 = `<p>The minister said on Tuesday that the talks would resume next week in Vienna, after a pause of two months that both sides blamed on the other.</p>`
	p2 = `<p>Officials in Tehran described the proposal as a first step, while diplomats in Brussels said that much depended on the sequence of measures.</p>`
	p3 = `<p>The parliament's national security committee is expected to discuss the text on Sunday, according to a member who asked not to be named.</p>`
)

func extractText(t *testing.T, html []byte) string {
	t.Helper()
	a, err := Extract(html, "https://news.example/2026/12/04/talks")
	if err != nil {
		t.Fatal(err)
	}
	return a.Text
}

func TestPruneFurniture(t *testing.T) {
	cases := map[string]string{
		"share bar":       `<div class="share-buttons"><p>Share this article on every network you know of, today and tomorrow.</p></div>`,
		"cookie banner":   `<div id="cookie-notice"><p>We use cookies to improve your experience of this website, as do all the others.</p></div>`,
		"newsletter box":  `<section class="newsletter-signup"><p>Sign up for our newsletter and get the day's news in your inbox every morning.</p></section>`,
		"related stories": `<div class="related-stories"><p>Earlier: the talks collapsed in October after a dispute over the timetable of sanctions relief.</p></div>`,
		"hidden":          `<div style="display: none"><p>This paragraph is hidden from every reader of the page and must stay out.</p></div>`,
		"caption":         `<figure><img src="/a.jpg"><figcaption>Photo: the minister arriving in Vienna on Tuesday morning, surrounded by aides.</figcaption></figure>`,
		"comments":        `<div id="comment-42"><p>What a disgrace this whole affair is, and nobody will ever take responsibility for it.</p></div>`,
		"template":        `<template><div class="article-content"><p>A notice kept in a template element, never shown to any reader.</p></div></template>`,
	}
	for name, furniture := range cases {
		t.Run(name, func(t *testing.T) {
			got := extractText(t, page(p1+furniture+p2+p3))
			for _, want := range []string{"talks would resume", "first step", "national security committee"} {
				if !strings.Contains(got, want) {
					t.Errorf("article text lost %q:\n%s", want, got)
				}
			}
			for _, word := range []string{"Share this", "cookies", "newsletter", "Earlier:", "hidden from", "Photo:", "disgrace", "notice kept"} {
				if strings.Contains(got, word) {
					t.Errorf("furniture %q kept:\n%s", word, got)
				}
			}
		})
	}
}

// A wrapper named like furniture that holds the article is kept: the page
// would otherwise lose its text.
func TestPruneKeepsTheArticleWrapper(t *testing.T) {
	html := []byte(`<html><body><div class="widget Blog"><div class="post-body entry-content">` + p1 + p2 + p3 +
		`</div></div><div class="sidebar"><p>Archive: 2024, 2025, 2026.</p></div></body></html>`)
	got := extractText(t, html)
	if !strings.Contains(got, "talks would resume") || !strings.Contains(got, "national security committee") {
		t.Errorf("article inside a furniture-named wrapper lost:\n%s", got)
	}
}

func TestTrimTailAndSeeAlso(t *testing.T) {
	article := p1 +
		`<p>Read more: <a href="/other">Talks collapse over sanctions timetable</a></p>` +
		p2 + p3 +
		`<p>Source: IRNA</p>` +
		`<h3>More on this story</h3><ul><li><a href="/a">Vienna talks: what is on the table</a></li><li><a href="/b">Who is who in the negotiating teams</a></li></ul>` +
		`<p>Subscribe to our newsletter for the day's news.</p>`
	got := extractText(t, page(article))
	for _, want := range []string{"talks would resume", "first step", "national security committee"} {
		if !strings.Contains(got, want) {
			t.Errorf("article text lost %q:\n%s", want, got)
		}
	}
	for _, gone := range []string{"Read more", "Source: IRNA", "More on this story", "what is on the table", "Subscribe"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q kept:\n%s", gone, got)
		}
	}
}

// A news story's last line may speak of comments or shares: it stays.
func TestTrimTailKeepsNewsEndings(t *testing.T) {
	last := `<p>The foreign ministry declined to comment.</p>`
	got := extractText(t, page(p1+p2+p3+last))
	if !strings.Contains(got, "declined to comment") {
		t.Errorf("last line of the story dropped:\n%s", got)
	}
}

// A list inside the article is content even without sentences.
func TestTrimTailKeepsListItems(t *testing.T) {
	got := extractText(t, page(p1+p2+p3+`<ul><li>Enrichment capped at 3.67 percent</li><li>Sanctions lifted in three stages</li></ul>`))
	if !strings.Contains(got, "Sanctions lifted in three stages") {
		t.Errorf("list item at the end dropped:\n%s", got)
	}
}

// Readability prefers a block with many commas; when it holds far less
// prose than another block of the page, the prose wins.
func TestProseBeatsACommaList(t *testing.T) {
	var names strings.Builder
	for i := range 60 {
		names.WriteString("Name Surname, University of Somewhere, signatory number ")
		names.WriteString(strings.Repeat("x", i%3))
		names.WriteString("<br>")
	}
	letter := strings.Repeat(p1+p2+p3, 3)
	html := []byte(`<html><body><div class="letter">` + letter + `</div><div class="names"><div>` + names.String() + `</div></div></body></html>`)
	got := extractText(t, html)
	if !strings.Contains(got, "talks would resume") {
		t.Errorf("the letter was not chosen:\n%.300s", got)
	}
}

// Persian: the same pruning and trimming, right to left.
func TestPrunePersian(t *testing.T) {
	article := `<p>وزیر امور خارجه روز سه‌شنبه گفت که گفت‌وگوها هفته آینده در وین از سر گرفته می‌شود و دو طرف برای دور تازه آماده‌اند.</p>` +
		`<p>مقام‌های تهران این پیشنهاد را گام نخست خواندند، اما دیپلمات‌ها در بروکسل گفتند که ترتیب اقدام‌ها تعیین‌کننده است.</p>` +
		`<p>عکس: ایرنا</p>` +
		`<div class="share-box"><p>این خبر را با دوستان خود به اشتراک بگذارید و نظر خود را بنویسید.</p></div>`
	got := extractText(t, []byte(`<html lang="fa" dir="rtl"><body><article>`+article+`</article></body></html>`))
	if !strings.Contains(got, "گفت‌وگوها هفته آینده") || !strings.Contains(got, "ترتیب اقدام‌ها") {
		t.Errorf("Persian article text lost:\n%s", got)
	}
	if strings.Contains(got, "عکس: ایرنا") || strings.Contains(got, "به اشتراک بگذارید") {
		t.Errorf("Persian credit or share box kept:\n%s", got)
	}
}

func TestVocabulary(t *testing.T) {
	v := words(nil, "share", "^nav", "=ad", "^post$", "^post-#", "~author")
	for s, want := range map[string]bool{
		"top-share-bar": true, "navbar main": true, "main navbar": false, "col ad": true,
		"header": false, "post": true, "posts": false, "post-123": true, "post-12a": false,
		"post-": false, "Author-Box": true, "": false,
	} {
		if got := v.match(s); got != want {
			t.Errorf("match(%q) = %v, want %v", s, got, want)
		}
	}
}
