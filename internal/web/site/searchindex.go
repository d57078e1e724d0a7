package site

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/text"
)

// The site's search runs on an index in memory, built from the public
// content and rebuilt when the content changes — not in the database, as
// package search indexes the archive's articles. The site is small
// (thousands of pages: a rebuild reads and normalizes them in well under
// a second), and its content is written by several packages (editions and
// their clips by reviews, analyses and events by posts, imports, the
// studio) that would each have to keep an index table current, since a
// trigger cannot run text.IndexText. The site_version row that those
// writes already bump (migration 00006) says when to rebuild, whichever
// instance or command wrote; the index expires, like the page cache, when
// scheduled content goes live. Each instance holds its own copy.
//
// Words are normalized with text.IndexText, as the archive's are, and
// queries are parsed by search.Parse, so the query language and the
// Persian, Arabic and English spelling rules are those of docs/search.md.

// searchDoc is one public page as the index sees it.
type searchDoc struct {
	path  string
	label string // "Analysis", the series' name, "Event", "Author"
	title string
	text  string    // the dek or summary and the body, as plain text, for snippets
	day   string    // YYYY-MM-DD as shown on the page; "" for authors
	date  time.Time // for ordering; zero for authors
	// titleIdx and bodyIdx are IndexText of the title and of the rest,
	// with a space at each end so that a phrase is a substring.
	titleIdx, bodyIdx string
	length            int // index terms in both
}

// posting is a term's occurrences in one document.
type posting struct {
	doc         int32
	title, body int32
}

// siteIndex is an immutable index of the public pages at one content
// version.
type siteIndex struct {
	version    int64
	validUntil time.Time // zero: until the next write
	docs       []*searchDoc
	postings   map[string][]posting // by ascending doc
	vocab      []string             // every term, sorted, for prefixes
	avgLen     float64
}

// searchIndexer holds the current index; its mutex makes concurrent
// searches after a publish wait for one rebuild rather than each do one.
type searchIndexer struct {
	mu  sync.Mutex
	cur *siteIndex
}

// index returns an index of the content as it is now.
func (s *Site) index(ctx context.Context) (*siteIndex, error) {
	var version int64
	if err := s.db.QueryRowContext(ctx, `SELECT version FROM site_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, fmt.Errorf("content version: %w", err)
	}
	now := s.now()
	s.indexer.mu.Lock()
	defer s.indexer.mu.Unlock()
	if ix := s.indexer.cur; ix != nil && ix.version >= version && (ix.validUntil.IsZero() || now.Before(ix.validUntil)) {
		return ix, nil
	}
	// The version was read first, so the content read below is at least
	// as new as the version the index is kept under.
	ix, err := s.buildIndex(ctx, now)
	if err != nil {
		return nil, err
	}
	ix.version = version
	s.indexer.cur = ix
	return ix, nil
}

// buildIndex reads every public page: posts, events and the authors of
// either.
func (s *Site) buildIndex(ctx context.Context, now time.Time) (*siteIndex, error) {
	next, err := posts.NextChange(ctx, s.db, now)
	if err != nil {
		return nil, err
	}
	b := &indexBuilder{ix: &siteIndex{validUntil: next, postings: map[string][]posting{}}}
	all, _, err := posts.List(ctx, s.db, posts.Filter{}, now, math.MaxInt32, 0)
	if err != nil {
		return nil, err
	}
	authors := map[string]posts.Author{}
	for _, p := range all {
		body, label, err := s.postText(ctx, p)
		if err != nil {
			return nil, err
		}
		var extra []string
		for _, a := range p.Authors {
			authors[a.Key] = a
			extra = append(extra, a.Name)
		}
		for _, t := range p.Tags {
			extra = append(extra, t.Name)
		}
		b.add(&searchDoc{path: postPath(p), label: label, title: p.Title, text: joinText(p.Dek, body),
			day: p.Day, date: p.PublishAt}, extra...)
	}
	for _, upcoming := range []bool{true, false} {
		evs, _, err := posts.ListEvents(ctx, s.db, now, upcoming, math.MaxInt32, 0)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			body, err := posts.RenderMarkdown(e.Body)
			if err != nil {
				return nil, err
			}
			extra := []string{e.Place}
			for _, sp := range e.Speakers {
				extra = append(extra, sp.Name, sp.Role)
				if sp.Author != "" && authors[sp.Author].Key == "" {
					a, err := posts.AuthorByKey(ctx, s.db, sp.Author)
					if err != nil {
						return nil, err
					}
					authors[a.Key] = a
				}
			}
			start := e.StartsAt.In(e.Location())
			b.add(&searchDoc{path: "/events/" + e.Slug, label: "Event", title: e.Title,
				text: joinText(e.Summary, posts.PlainText(body)), day: start.Format(time.DateOnly), date: e.StartsAt}, extra...)
		}
	}
	for _, a := range authors {
		b.add(&searchDoc{path: "/author/" + a.Key, label: "Author", title: a.Name, text: joinText(a.Affiliation(), a.Bio)})
	}
	return b.done(), nil
}

// postText is the body of a post as plain text, and the label of its kind.
func (s *Site) postText(ctx context.Context, p *posts.Post) (string, string, error) {
	if p.Kind == posts.KindEdition {
		page, err := reviews.LoadPage(ctx, s.db, p.Slug)
		if err != nil {
			return "", "", err
		}
		return reviews.PlainWords(page), p.SeriesName, nil
	}
	body, err := posts.RenderMarkdown(p.Body)
	if err != nil {
		return "", "", err
	}
	return posts.PlainText(body), p.Category, nil
}

func joinText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(p)
		}
	}
	return b.String()
}

type indexBuilder struct {
	ix    *siteIndex
	total int
}

// add indexes d; extra is searchable but not shown (names of authors and
// tags, which the result's label and page show anyway).
func (b *indexBuilder) add(d *searchDoc, extra ...string) {
	id := int32(len(b.ix.docs))
	b.ix.docs = append(b.ix.docs, d)
	title := text.IndexText(d.title)
	body := text.IndexText(joinText(append([]string{d.text}, extra...)...))
	d.titleIdx, d.bodyIdx = " "+title+" ", " "+body+" "
	counts := map[string]*posting{}
	count := func(idx string, title bool) {
		for _, t := range strings.Fields(idx) {
			p := counts[t]
			if p == nil {
				p = &posting{doc: id}
				counts[t] = p
			}
			if title {
				p.title++
			} else {
				p.body++
			}
			d.length++
		}
	}
	count(title, true)
	count(body, false)
	for t, p := range counts {
		b.ix.postings[t] = append(b.ix.postings[t], *p)
	}
	b.total += d.length
}

func (b *indexBuilder) done() *siteIndex {
	ix := b.ix
	for t := range ix.postings {
		ix.vocab = append(ix.vocab, t)
	}
	sort.Strings(ix.vocab)
	if len(ix.docs) > 0 {
		ix.avgLen = float64(b.total) / float64(len(ix.docs))
	}
	return ix
}

// docSet is a set of documents by index, one bit each.
type docSet []uint64

func (ix *siteIndex) emptySet() docSet { return make(docSet, (len(ix.docs)+63)/64) }

func (ix *siteIndex) allSet() docSet {
	d := ix.emptySet()
	for i := range ix.docs {
		d.add(int32(i))
	}
	return d
}

func (d docSet) add(i int32)    { d[i/64] |= 1 << (i % 64) }
func (d docSet) has(i int) bool { return d[i/64]&(1<<(i%64)) != 0 }

func (d docSet) and(o docSet) {
	for i := range d {
		d[i] &= o[i]
	}
}

func (d docSet) or(o docSet) {
	for i := range d {
		d[i] |= o[i]
	}
}

func (d docSet) andNot(o docSet) {
	for i := range d {
		d[i] &^= o[i]
	}
}

// minPrefixRunes matches package search: a one-letter prefix would match
// half the vocabulary.
const minPrefixRunes = 2

// termSet is what the positive words of a query match: exact index terms
// and prefixes of terms. It ranks results and marks words in snippets.
type termSet struct {
	exact    map[string]bool
	prefixes []string
}

func (t termSet) empty() bool { return len(t.exact) == 0 && len(t.prefixes) == 0 }

func (t termSet) matches(term string) bool {
	if t.exact[term] {
		return true
	}
	for _, p := range t.prefixes {
		if strings.HasPrefix(term, p) {
			return true
		}
	}
	return false
}

// match finds the documents of a parsed query. ok is false when the query
// constrains nothing (it is empty, or only punctuation), which the caller
// shows as "type something" rather than every page.
func (ix *siteIndex) match(q search.Query) (set docSet, terms termSet, ok bool, err error) {
	terms = termSet{exact: map[string]bool{}}
	if q.Text != nil {
		if set, ok, err = ix.eval(q.Text, &terms, false); err != nil {
			return nil, terms, false, err
		}
	}
	filter, err := ix.filter(q.Filters)
	if err != nil {
		return nil, terms, false, err
	}
	switch {
	case filter == nil:
	case !ok:
		set, ok = filter, true
	default:
		set.and(filter)
	}
	return set, terms, ok, nil
}

// eval returns the documents node matches (ok false: node constrains
// nothing) and adds the words it looks for, outside exclusions, to terms.
func (ix *siteIndex) eval(node search.Node, terms *termSet, negated bool) (docSet, bool, error) {
	switch n := node.(type) {
	case *search.Terms:
		return ix.evalTerms(n, terms, negated)
	case *search.Not:
		inner, ok, err := ix.eval(n.Node, terms, !negated)
		if err != nil || !ok {
			return nil, false, err
		}
		all := ix.allSet()
		all.andNot(inner)
		return all, true, nil
	case *search.And:
		return ix.combine(n.Nodes, terms, negated, docSet.and)
	case *search.Or:
		return ix.combine(n.Nodes, terms, negated, docSet.or)
	}
	return nil, false, fmt.Errorf("search: unknown query node %T", node)
}

// combine evaluates nodes and joins their sets with op (docSet.and or
// docSet.or); nodes that constrain nothing are left out.
func (ix *siteIndex) combine(nodes []search.Node, terms *termSet, negated bool, op func(docSet, docSet)) (docSet, bool, error) {
	var out docSet
	for _, k := range nodes {
		set, ok, err := ix.eval(k, terms, negated)
		if err != nil {
			return nil, false, err
		}
		switch {
		case !ok:
		case out == nil:
			out = set
		default:
			op(out, set)
		}
	}
	return out, out != nil, nil
}

// evalTerms follows package search's reading of words: each word must
// occur; a phrase's words in order, within the title or the body; a
// prefix matches every term that starts with it.
func (ix *siteIndex) evalTerms(n *search.Terms, terms *termSet, negated bool) (docSet, bool, error) {
	toks := text.IndexTerms(n.Text)
	if len(toks) == 0 {
		return nil, false, nil // punctuation only
	}
	set := ix.emptySet()
	if n.Prefix {
		if len(toks) > 1 {
			return nil, false, &search.Error{Pos: n.Pos, Msg: fmt.Sprintf("a prefix must be one word, but %q is read as %d words", n.Text, len(toks))}
		}
		if utf8.RuneCountInString(toks[0]) < minPrefixRunes {
			return nil, false, &search.Error{Pos: n.Pos, Msg: fmt.Sprintf("a prefix needs at least %d letters", minPrefixRunes)}
		}
		for i := sort.SearchStrings(ix.vocab, toks[0]); i < len(ix.vocab) && strings.HasPrefix(ix.vocab[i], toks[0]); i++ {
			for _, p := range ix.postings[ix.vocab[i]] {
				set.add(p.doc)
			}
		}
		if !negated {
			terms.prefixes = append(terms.prefixes, toks[0])
		}
		return set, true, nil
	}
	for i, t := range toks {
		one := ix.emptySet()
		for _, p := range ix.postings[t] {
			one.add(p.doc)
		}
		if i == 0 {
			set = one
		} else {
			set.and(one)
		}
		if !negated {
			terms.exact[t] = true
		}
	}
	if n.Phrase && len(toks) > 1 {
		phrase := " " + strings.Join(toks, " ") + " "
		for i, d := range ix.docs {
			if set.has(i) && !strings.Contains(d.titleIdx, phrase) && !strings.Contains(d.bodyIdx, phrase) {
				set[i/64] &^= 1 << (i % 64)
			}
		}
	}
	return set, true, nil
}

// filter applies after: and before: to the day a page shows (the other
// filters of the query language describe the archive's outlets and do not
// apply to the site). A field given twice matches either value, as in
// package search; pages without a date (authors) match no date filter.
// It returns nil when there are no filters.
func (ix *siteIndex) filter(fs []search.Filter) (docSet, error) {
	if len(fs) == 0 {
		return nil, nil
	}
	byField := map[string]docSet{}
	excluded := ix.emptySet()
	for _, f := range fs {
		if f.Field != search.FieldAfter && f.Field != search.FieldBefore {
			return nil, &search.Error{Pos: f.Pos, Msg: fmt.Sprintf("the site search has no %s: filter; it takes after: and before:", f.Field)}
		}
		set := ix.emptySet()
		for i, d := range ix.docs {
			if d.day == "" {
				continue
			}
			if f.Field == search.FieldAfter && d.day >= f.Values[0] || f.Field == search.FieldBefore && d.day < f.Values[0] {
				set.add(int32(i))
			}
		}
		switch {
		case f.Negate:
			excluded.or(set)
		case byField[f.Field] == nil:
			byField[f.Field] = set
		default:
			byField[f.Field].or(set)
		}
	}
	out := ix.allSet()
	for _, set := range byField {
		out.and(set)
	}
	out.andNot(excluded)
	return out, nil
}

// BM25's usual constants; a title occurrence counts as titleWeight body
// ones, as in package search.
const (
	bm25K1      = 1.2
	bm25B       = 0.75
	titleWeight = 3
)

// rank orders the documents in set: by BM25 relevance to terms, then
// newest first; only newest first when the query has no words.
func (ix *siteIndex) rank(set docSet, terms termSet) []int {
	var hits []int
	for i := range ix.docs {
		if set.has(i) {
			hits = append(hits, i)
		}
	}
	score := make([]float64, len(ix.docs))
	n := float64(len(ix.docs))
	for _, t := range ix.termsOf(terms) {
		ps := ix.postings[t]
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for _, p := range ps {
			if !set.has(int(p.doc)) {
				continue
			}
			tf := float64(titleWeight*p.title + p.body)
			norm := 1 - bm25B + bm25B*float64(ix.docs[p.doc].length)/ix.avgLen
			score[p.doc] += idf * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
		}
	}
	slices.SortFunc(hits, func(a, b int) int {
		if score[a] != score[b] {
			if score[a] > score[b] {
				return -1
			}
			return 1
		}
		if c := ix.docs[b].date.Compare(ix.docs[a].date); c != 0 {
			return c
		}
		return strings.Compare(ix.docs[a].path, ix.docs[b].path)
	})
	return hits
}

// termsOf lists the index terms that terms match, each once.
func (ix *siteIndex) termsOf(terms termSet) []string {
	seen := map[string]bool{}
	for t := range terms.exact {
		if _, ok := ix.postings[t]; ok {
			seen[t] = true
		}
	}
	for _, p := range terms.prefixes {
		for i := sort.SearchStrings(ix.vocab, p); i < len(ix.vocab) && strings.HasPrefix(ix.vocab[i], p); i++ {
			seen[ix.vocab[i]] = true
		}
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	// Sorted so that scores, sums of floating-point numbers, come out
	// the same on every run and ties break the same way.
	sort.Strings(out)
	return out
}
