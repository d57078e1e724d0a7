package ingest

import (
	"container/list"
	"strings"
	"sync"

	"github.com/pressreview/pressreview/internal/shorttext"
	"github.com/pressreview/pressreview/internal/text"
)

// storyForm is what story grouping compares a text by: its tokens
// (text.SameStory) when it has a simhash, its shingles
// (shorttext.Resemblance) when it has short-text keys.
type storyForm struct {
	tokens   []string
	shingles shorttext.Set
}

// storyFormsSize bounds the tokens and shingles storyForms keeps: about
// 3 MB at 7 bytes a token and 4 of offsets, the forms of a few hundred
// articles.
const storyFormsSize = 1 << 18

// storyForms keeps the forms of the texts stored last, by content hash.
// A new article's near duplicates are most often the articles stored just
// before it (a wire story and its reprints arrive together), and
// comparing with one meant reading its text and normalizing it again —
// per article, more CPU time than the rest of its storing. The content
// hash is the SHA-256 of the text's matching form, of which the tokens
// and the shingles are functions, so an entry is never stale: an edited
// article has a new hash, and a rolled-back transaction leaves a form
// that is still its text's.
type storyForms struct {
	mu     sync.Mutex
	byHash map[string]*list.Element // of *storyFormEntry
	lru    list.List                // most recently used first
	size   int
}

// storyFormEntry is a kept form. Tokens are kept joined in one string,
// with their ends, rather than as a []string: a string header per token
// is a pointer for the garbage collector to follow at every cycle, for
// as long as the entry is kept.
type storyFormEntry struct {
	hash     string
	joined   string
	ends     []uint32 // ends[i] is where token i ends in joined; it starts where i-1 ended
	shingles shorttext.Set
}

// size is what an entry holds, in tokens or shingles.
func (e *storyFormEntry) size() int { return len(e.ends) + len(e.shingles) }

// tokens returns the kept tokens, sharing joined's bytes.
func (e *storyFormEntry) tokens() []string {
	if e.ends == nil {
		return nil
	}
	out := make([]string, len(e.ends))
	start := uint32(0)
	for i, end := range e.ends {
		out[i] = e.joined[start:end]
		start = end
	}
	return out
}

func newEntry(hash string, f storyForm) *storyFormEntry {
	e := &storyFormEntry{hash: hash, shingles: f.shingles}
	if f.tokens != nil {
		var b strings.Builder
		n := 0
		for _, t := range f.tokens {
			n += len(t)
		}
		b.Grow(n) // one allocation, not one for each doubling
		e.ends = make([]uint32, len(f.tokens))
		for i, t := range f.tokens {
			b.WriteString(t)
			e.ends[i] = uint32(b.Len())
		}
		e.joined = b.String()
	}
	return e
}

func newStoryForms() *storyForms {
	return &storyForms{byHash: map[string]*list.Element{}}
}

// get returns the form of the text whose content hash is hash, if kept.
func (c *storyForms) get(hash string) (storyForm, bool) {
	if hash == "" {
		return storyForm{}, false
	}
	c.mu.Lock()
	el, ok := c.byHash[hash]
	if ok {
		c.lru.MoveToFront(el)
	}
	c.mu.Unlock()
	if !ok {
		return storyForm{}, false
	}
	e := el.Value.(*storyFormEntry)
	return storyForm{tokens: e.tokens(), shingles: e.shingles}, true
}

// put keeps f as the form of the text whose content hash is hash,
// dropping the least recently used beyond storyFormsSize.
func (c *storyForms) put(hash string, f storyForm) {
	if n := len(f.tokens) + len(f.shingles); hash == "" || n == 0 || n > storyFormsSize/4 {
		return
	}
	e := newEntry(hash, f)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byHash[hash]; ok {
		c.lru.MoveToFront(el)
		return
	}
	c.byHash[hash] = c.lru.PushFront(e)
	c.size += e.size()
	for c.size > storyFormsSize {
		old := c.lru.Remove(c.lru.Back()).(*storyFormEntry)
		delete(c.byHash, old.hash)
		c.size -= old.size()
	}
}

// tokens returns the tokens of a stored text whose content hash is hash,
// from the kept forms or else from body (read and normalized once, then
// kept).
func (c *storyForms) tokens(hash string, body func() (string, error)) ([]string, error) {
	if f, ok := c.get(hash); ok && f.tokens != nil {
		return f.tokens, nil
	}
	b, err := body()
	if err != nil {
		return nil, err
	}
	toks := text.Tokens(b)
	c.put(hash, storyForm{tokens: toks})
	return toks, nil
}

// shingles is tokens for the shingles of a short text.
func (c *storyForms) shingles(hash string, body func() (string, error)) (shorttext.Set, error) {
	if f, ok := c.get(hash); ok && f.shingles != nil {
		return f.shingles, nil
	}
	b, err := body()
	if err != nil {
		return nil, err
	}
	sh := shorttext.Shingles(text.Normalize(b))
	c.put(hash, storyForm{shingles: sh})
	return sh, nil
}
