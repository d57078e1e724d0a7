// Package press is the demo's stand-in for the outlets: a web server on
// loopback that publishes RSS and Atom feeds and article pages for six
// outlets of the roster (Persian in UTF-8 and in windows-1256, Arabic,
// English) on a clock. Some articles are already out when it starts; the
// others appear over the first minutes, so a newcomer sees the desk's real
// intake poll, fetch, archive, deduplicate and group them as they come.
//
// Every text it serves was written for the demo (see stories.go) and each
// article page says so.
package press

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"net"
	"net/http"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Notice is printed on every article page of the press.
const Notice = "Demo text written for pressreview; not real press coverage."

// Format is a feed's syndication format.
type Format string

// The formats the press publishes.
const (
	RSS  Format = "rss"
	Atom Format = "atom"
)

// Outlet is one outlet on the press. Key is its key in the desk's roster.
type Outlet struct {
	Key     string
	Name    string // the name on its pages, in its own script
	Lang    string // BCP 47
	Charset string // "utf-8" or "windows-1256"
	Format  Format
	Items   []Item
}

// Item is one article. At is when it is published, counted from the
// press's start: negative for the articles already out at the start.
type Item struct {
	Slug  string
	At    time.Duration
	Title string
	Dek   string
	Paras []string
}

// Feed is a feed the press serves, as the desk subscribes to it.
type Feed struct {
	Outlet string // roster key
	URL    string
}

// Press is the running server.
type Press struct {
	outlets map[string]*Outlet
	order   []string
	start   time.Time
	now     func() time.Time
	url     string
	srv     *http.Server
	done    chan struct{}
}

// Start listens on addr (host:port on loopback; port 0 picks a free one)
// and serves the demo's outlets with the clock starting now.
func Start(addr string) (*Press, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo press: %w", err)
	}
	p := New(time.Now(), time.Now)
	p.url = "http://" + ln.Addr().String()
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

// New returns the press with its clock started at start, without a
// listener: serve it with any http.Server (Start does).
func New(start time.Time, now func() time.Time) *Press {
	p := &Press{outlets: map[string]*Outlet{}, start: start, now: now}
	for _, o := range Outlets() {
		p.outlets[o.Key] = &o
		p.order = append(p.order, o.Key)
	}
	return p
}

// URL is the press's base URL, "http://127.0.0.1:PORT".
func (p *Press) URL() string { return p.url }

// Close stops the server.
func (p *Press) Close() error {
	if p.srv == nil {
		return nil
	}
	err := p.srv.Close()
	<-p.done
	return err
}

// Feeds lists the feed of every outlet, at base (the press's URL).
func (p *Press) Feeds(base string) []Feed {
	var out []Feed
	for _, k := range p.order {
		out = append(out, Feed{Outlet: k, URL: base + FeedPath(p.outlets[k])})
	}
	return out
}

// FeedPath is where an outlet's feed is.
func FeedPath(o *Outlet) string {
	if o.Format == Atom {
		return "/" + o.Key + "/atom.xml"
	}
	return "/" + o.Key + "/rss.xml"
}

// published returns the outlet's items out by now, newest first.
func (p *Press) published(o *Outlet) []Item {
	elapsed := p.now().Sub(p.start)
	var out []Item
	for i := len(o.Items) - 1; i >= 0; i-- {
		if o.Items[i].At <= elapsed {
			out = append(out, o.Items[i])
		}
	}
	return out
}

// when is an item's publication time, to the second.
func (p *Press) when(it Item) time.Time { return p.start.Add(it.At).UTC().Truncate(time.Second) }

// ServeHTTP serves robots.txt, the feeds, the article pages and each
// outlet's front page.
func (p *Press) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		return
	}
	key, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	o, ok := p.outlets[key]
	if !ok {
		http.NotFound(w, r)
		return
	}
	var (
		body  []byte
		ctype string
		err   error
	)
	switch {
	case "/"+key+"/"+rest == FeedPath(o):
		body, err = p.feed(o, r)
		ctype = "application/rss+xml"
		if o.Format == Atom {
			ctype = "application/atom+xml"
		}
	case rest == "":
		body, err = p.frontPage(o)
		ctype = "text/html"
	case strings.HasPrefix(rest, "news/"):
		it, found := p.item(o, strings.TrimPrefix(rest, "news/"))
		if !found {
			http.NotFound(w, r)
			return
		}
		body, err = p.articlePage(o, it, r)
		ctype = "text/html"
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if o.Charset == "windows-1256" {
		if body, err = encode1256(body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", ctype+"; charset="+o.Charset)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(body)
}

// item finds a published item by slug: an article not yet out is 404,
// as on a real site.
func (p *Press) item(o *Outlet, slug string) (Item, bool) {
	for _, it := range p.published(o) {
		if it.Slug == slug {
			return it, true
		}
	}
	return Item{}, false
}

func base(r *http.Request) string { return "http://" + r.Host }

type feedItem struct {
	Title, Dek, URL, GUID string
	Published             time.Time
}

type feedView struct {
	Outlet  *Outlet
	Self    string
	Home    string
	Updated time.Time
	Items   []feedItem
}

func (p *Press) feed(o *Outlet, r *http.Request) ([]byte, error) {
	v := feedView{Outlet: o, Self: base(r) + FeedPath(o), Home: base(r) + "/" + o.Key + "/", Updated: p.start.UTC().Truncate(time.Second)}
	for _, it := range p.published(o) {
		u := base(r) + "/" + o.Key + "/news/" + it.Slug
		v.Items = append(v.Items, feedItem{Title: it.Title, Dek: it.Dek, URL: u, GUID: u, Published: p.when(it)})
	}
	if len(v.Items) > 0 {
		v.Updated = v.Items[0].Published
	}
	name := "rss"
	if o.Format == Atom {
		name = "atom"
	}
	var b bytes.Buffer
	err := feedTemplates.ExecuteTemplate(&b, name, v)
	return b.Bytes(), err
}

type pageView struct {
	Outlet    *Outlet
	Dir       string
	Item      Item
	URL       string
	Published time.Time
	Notice    string
	Items     []Item
}

func (p *Press) articlePage(o *Outlet, it Item, r *http.Request) ([]byte, error) {
	v := pageView{Outlet: o, Dir: dirOf(o.Lang), Item: it, URL: base(r) + "/" + o.Key + "/news/" + it.Slug,
		Published: p.when(it), Notice: Notice}
	var b bytes.Buffer
	err := pageTemplates.ExecuteTemplate(&b, "article", v)
	return b.Bytes(), err
}

func (p *Press) frontPage(o *Outlet) ([]byte, error) {
	v := pageView{Outlet: o, Dir: dirOf(o.Lang), Notice: Notice, Items: p.published(o)}
	var b bytes.Buffer
	err := pageTemplates.ExecuteTemplate(&b, "front", v)
	return b.Bytes(), err
}

func dirOf(lang string) string {
	if lang == "fa" || lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

// legacy1256 spells Persian as windows-1256 can, as legacy Persian sites
// did: Arabic yeh for Farsi yeh, ASCII digits for Persian ones.
var legacy1256 = func() *strings.Replacer {
	pairs := []string{"ی", "ي"}
	for d := range 10 {
		pairs = append(pairs, string(rune('۰'+d)), string(rune('0'+d)))
	}
	return strings.NewReplacer(pairs...)
}()

// encode1256 encodes a page or feed in windows-1256; a character the
// charset lacks is an error, so a text that cannot be served is found by
// the tests rather than replaced silently.
var enc1256 sync.Mutex

func encode1256(b []byte) ([]byte, error) {
	enc1256.Lock()
	defer enc1256.Unlock()
	out, err := charmap.Windows1256.NewEncoder().Bytes([]byte(legacy1256.Replace(string(b))))
	if err != nil {
		return nil, fmt.Errorf("encode in windows-1256: %w", err)
	}
	return out, nil
}

var timeFuncs = map[string]any{
	"rfc1123": func(t time.Time) string { return t.Format(time.RFC1123Z) },
	"rfc3339": func(t time.Time) string { return t.Format(time.RFC3339) },
	// dateline is the date a reader sees in the page's header, outside the
	// article, as news sites set it; the machine time is in the attribute.
	"dateline": func(t time.Time) string { return t.Format("2006-01-02 15:04 UTC") },
}

// feedTemplates are text templates: html/template would escape the XML
// declaration. Every value goes through x, which escapes it for XML.
var feedTemplates = texttemplate.Must(texttemplate.New("feeds").Funcs(timeFuncs).Funcs(texttemplate.FuncMap{
	"x": html.EscapeString,
}).Parse(`
{{define "rss"}}<?xml version="1.0" encoding="{{x .Outlet.Charset}}"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{{x .Outlet.Name}}</title>
<link>{{x .Home}}</link>
<atom:link href="{{x .Self}}" rel="self" type="application/rss+xml"/>
<description>{{x .Outlet.Name}}: {{x .Outlet.Lang}}</description>
<language>{{x .Outlet.Lang}}</language>
{{- range .Items}}
<item>
<title>{{x .Title}}</title>
<link>{{x .URL}}</link>
<guid isPermaLink="true">{{x .GUID}}</guid>
<pubDate>{{rfc1123 .Published}}</pubDate>
<description>{{x .Dek}}</description>
</item>
{{- end}}
</channel>
</rss>
{{end}}
{{define "atom"}}<?xml version="1.0" encoding="{{x .Outlet.Charset}}"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{x .Outlet.Lang}}">
<title>{{x .Outlet.Name}}</title>
<id>{{x .Home}}</id>
<link rel="alternate" href="{{x .Home}}"/>
<link rel="self" href="{{x .Self}}"/>
<updated>{{rfc3339 .Updated}}</updated>
{{- range .Items}}
<entry>
<id>{{x .GUID}}</id>
<title>{{x .Title}}</title>
<link rel="alternate" href="{{x .URL}}"/>
<published>{{rfc3339 .Published}}</published>
<updated>{{rfc3339 .Published}}</updated>
<summary>{{x .Dek}}</summary>
<author><name>{{x $.Outlet.Name}}</name></author>
</entry>
{{- end}}
</feed>
{{end}}`))

var pageTemplates = template.Must(template.New("pages").Funcs(timeFuncs).Parse(`
{{define "article"}}<!doctype html>
<html lang="{{.Outlet.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="{{.Outlet.Charset}}">
<title>{{.Item.Title}} | {{.Outlet.Name}}</title>
<link rel="canonical" href="{{.URL}}">
<meta property="og:title" content="{{.Item.Title}}">
<meta property="og:site_name" content="{{.Outlet.Name}}">
<meta property="og:url" content="{{.URL}}">
<meta property="article:published_time" content="{{rfc3339 .Published}}">
<meta name="description" content="{{.Item.Dek}}">
</head>
<body>
<header><a href="/{{.Outlet.Key}}/">{{.Outlet.Name}}</a> <time datetime="{{rfc3339 .Published}}">{{dateline .Published}}</time></header>
<main>
<article>
<h1>{{.Item.Title}}</h1>
<p><strong>{{.Item.Dek}}</strong></p>
{{- range .Item.Paras}}
<p>{{.}}</p>
{{- end}}
<p lang="en" dir="ltr"><em>{{.Notice}}</em></p>
</article>
</main>
</body>
</html>
{{end}}
{{define "front"}}<!doctype html>
<html lang="{{.Outlet.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="{{.Outlet.Charset}}">
<title>{{.Outlet.Name}}</title>
<link rel="alternate" type="application/{{.Outlet.Format}}+xml" href="/{{.Outlet.Key}}/{{.Outlet.Format}}.xml">
</head>
<body>
<h1>{{.Outlet.Name}}</h1>
<p lang="en" dir="ltr">{{.Notice}}</p>
<ul>
{{- range .Items}}
<li><a href="/{{$.Outlet.Key}}/news/{{.Slug}}">{{.Title}}</a></li>
{{- end}}
</ul>
</body>
</html>
{{end}}
`))
