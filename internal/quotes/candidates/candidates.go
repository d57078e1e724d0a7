// Package candidates keeps the quotations the finder (internal/quotes)
// finds in ingested articles — quote candidates — and links their
// speakers to the roster: it stores them with offsets into the article's
// text, so that the studio can highlight one and clip it by its offsets,
// and answers "who said what" for a person, with the names nobody on the
// roster has yet proposed as new people.
package candidates

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/quotes"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// Span is a stretch of an article's text: code points of articles.text,
// End exclusive.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Candidate is a quotation found in an article.
type Candidate struct {
	ID      int64 `json:"id,omitempty"`
	Article int64 `json:"article,omitempty"`
	// Position is the candidate's place in reading order, from 0.
	Position int    `json:"position"`
	Kind     string `json:"kind"` // quotes.Direct or quotes.Indirect
	// Start, End and Quote are the quoted words.
	Start int    `json:"start"`
	End   int    `json:"end"`
	Quote string `json:"quote"`
	// Cue is the verb or phrase of saying, Speaker the mention of who
	// said it and Role the role written beside them; nil when not found.
	Cue     *Span `json:"cue"`
	Speaker *Span `json:"speaker"`
	Role    *Span `json:"role"`
	// SpeakerName is whom the quote is attributed to: what a pronoun was
	// resolved to, else the mention; "" when the finder names no one.
	SpeakerName string  `json:"speaker_name,omitempty"`
	Confidence  float64 `json:"confidence"`
}

// Found is what the finder made of one article's text.
type Found struct {
	Candidates []Candidate
	// Err is the finder's failure on the text, kept with the article
	// (which is stored all the same). Candidates the finder placed
	// outside its paragraph are dropped and reported here too; the others
	// are kept.
	Err error
}

// finderLangs are the languages the finder knows; articles in others are
// scanned with no result rather than guessed at.
var finderLangs = map[string]bool{"fa": true, "ar": true, "en": true}

// paragraph is a line of an article's text and where it starts, in code
// points. The finder works paragraph by paragraph and reports offsets
// inside them; these turn its spans into offsets into the whole text.
type paragraph struct {
	start int
	text  string
	// marks holds the byte offset of every markStride-th code point of
	// text, and runes their number: filled by byteOf when a span first
	// falls in the paragraph.
	marks []int
	runes int
}

// markStride is the spacing of paragraph.marks: a span's offset is found
// in at most that many steps from a mark, not from the paragraph's start
// (a paragraph holds several spans: reading it whole for each cost a
// third of what placing the finder's candidates took).
const markStride = 16

// byteOf returns the byte offset of code point n of the paragraph, the
// text's length for n at its end, or -1 outside it. Like runeCount, it
// takes the text to be valid UTF-8.
func (p *paragraph) byteOf(n int) int {
	if p.marks == nil {
		t := p.text
		p.marks = make([]int, 0, len(t)/markStride+1)
		k, next := 0, 0 // code points before byte i; the code point of the next mark
		for i := 0; i < len(t); {
			if i+8 <= len(t) {
				// Eight bytes at once when no mark falls in them.
				if c := 8 - continuations(load64(t, i)); k+c <= next {
					k += c
					i += 8
					continue
				}
			}
			if t[i]&0xC0 != 0x80 {
				if k == next {
					p.marks = append(p.marks, i)
					next += markStride
				}
				k++
			}
			i++
		}
		p.runes = k
	}
	switch {
	case n < 0 || n > p.runes:
		return -1
	case n == p.runes:
		return len(p.text)
	}
	i := p.marks[n/markStride]
	for range n % markStride {
		i++
		for i < len(p.text) && p.text[i]&0xC0 == 0x80 {
			i++
		}
	}
	return i
}

// runeCount is utf8.RuneCountInString for valid UTF-8: the bytes that do
// not continue a character. The finder rejects any other text, so only
// valid text has spans to place; counting bytes is four times faster on
// Arabic script than decoding, which took a tenth of Find's time.
func runeCount(s string) int {
	n, i := len(s), 0
	for ; i+8 <= len(s); i += 8 {
		n -= continuations(load64(s, i))
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// continuations counts the bytes of w that continue a character
// (10xxxxxx): their high bit set and the next one clear.
func continuations(w uint64) int {
	return bits.OnesCount64(w &^ (w << 1) & 0x8080808080808080)
}

// load64 reads eight bytes of s from i, little-endian.
func load64(s string, i int) uint64 {
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// paragraphs are the paragraphs the finder takes (quotes.Paragraphs, so
// that a paragraph number means the same as in the CLI), each located in
// the text: every one is a line of it, trimmed, in order. texts are the
// same paragraphs' text, for the finder.
func paragraphs(s string) (out []paragraph, texts []string) {
	texts = quotes.Paragraphs(s)
	out = make([]paragraph, 0, len(texts))
	at, runes := 0, 0 // the byte and code-point offsets searched from
	for _, p := range texts {
		i := strings.Index(s[at:], p)
		if i < 0 {
			// Not a line of the text: quotes.Paragraphs changed what it
			// does. Its spans could not be placed, so nothing is found.
			return nil, nil
		}
		runes += runeCount(s[at : at+i])
		out = append(out, paragraph{start: runes, text: p})
		at += i + len(p)
		runes += runeCount(p)
	}
	return out, texts
}

// Find runs the finder on an article's text in language lang (its
// detected language; "" lets the finder detect it). It never fails: the
// finder's error, or a panic, comes back in Found.Err, so that ingest
// stores the article without candidates instead of failing on it.
func Find(articleText, lang string) (f Found) {
	lang, _, _ = strings.Cut(strings.ToLower(lang), "-") // fa-IR is fa
	if lang != "" && !finderLangs[lang] {
		return Found{}
	}
	ps, texts := paragraphs(articleText)
	if len(ps) == 0 {
		return Found{}
	}
	defer func() {
		// A finder bug on one article's text must not stop the intake.
		if r := recover(); r != nil {
			f = Found{Err: fmt.Errorf("quote finder: panic: %v", r)}
		}
	}()
	cs, err := quotes.Find(texts, lang)
	if err != nil {
		return Found{Err: fmt.Errorf("quote finder: %w", err)}
	}
	if len(cs) > 0 {
		f.Candidates = make([]Candidate, 0, len(cs))
	}
	for _, c := range cs {
		q, err := place(ps, c)
		if err != nil {
			if f.Err == nil {
				f.Err = fmt.Errorf("quote finder: %w", err)
			}
			continue
		}
		q.Position = len(f.Candidates)
		f.Candidates = append(f.Candidates, q)
	}
	if len(f.Candidates) == 0 {
		f.Candidates = nil // none placed: nil, as when none is found
	}
	return f
}

// place turns a finder's candidate, in paragraph offsets, into one in
// offsets of the whole text, whose own words it takes.
func place(ps []paragraph, c quotes.Candidate) (Candidate, error) {
	q := Candidate{Kind: c.Kind, Confidence: min(max(c.Confidence, 0), 1), SpeakerName: strings.TrimSpace(c.SpeakerResolved)}
	if q.Kind != quotes.Direct && q.Kind != quotes.Indirect {
		return q, fmt.Errorf("candidate in paragraph %d: unknown kind %q", c.Paragraph, c.Kind)
	}
	body, err := span(ps, quotes.Span{Paragraph: c.Paragraph, Start: c.Start, End: c.End})
	if err != nil {
		return q, err
	}
	q.Start, q.End, q.Quote = body.Start, body.End, body.Text
	for _, s := range []struct {
		from *quotes.Span
		to   **Span
	}{{c.Cue, &q.Cue}, {c.Speaker, &q.Speaker}, {c.Role, &q.Role}} {
		if s.from == nil {
			continue
		}
		sp, err := span(ps, *s.from)
		if err != nil {
			return q, err
		}
		*s.to = &sp
	}
	if q.SpeakerName == "" && q.Speaker != nil {
		q.SpeakerName = q.Speaker.Text
	}
	return q, nil
}

// span places s, whose paragraph is 1-based, in the text; its words are
// the paragraph's (the article's text is not converted to code points
// whole: that cost as much as the finder's own scan).
func span(ps []paragraph, s quotes.Span) (Span, error) {
	if s.Paragraph < 1 || s.Paragraph > len(ps) {
		return Span{}, fmt.Errorf("span in paragraph %d, of %d paragraphs", s.Paragraph, len(ps))
	}
	p := &ps[s.Paragraph-1]
	from, to := p.byteOf(s.Start), p.byteOf(s.End)
	if s.Start < 0 || s.Start >= s.End || from < 0 || from == len(p.text) || to < 0 {
		return Span{}, fmt.Errorf("span %d–%d outside paragraph %d, of %d code points", s.Start, s.End, s.Paragraph, p.runes)
	}
	return Span{Start: p.start + s.Start, End: p.start + s.End, Text: p.text[from:to]}, nil
}

// Save replaces the candidates of an article with found, in the caller's
// transaction, and records the scan: which text (contentHash), when, and
// the finder's error. Run again on the same article it leaves the same
// rows, never twice as many.
func Save(ctx context.Context, q store.Querier, articleID int64, contentHash string, found Found, now time.Time) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM quote_candidates WHERE article_id = ?`, articleID); err != nil {
		return fmt.Errorf("quote candidates of article %d: %w", articleID, err)
	}
	return SaveNew(ctx, q, articleID, contentHash, found, now)
}

// SaveNew is Save for an article inserted in the caller's transaction,
// which has no candidates to replace: the intake stores every new article
// with it, and a DELETE per article would be a statement for nothing.
func SaveNew(ctx context.Context, q store.Querier, articleID int64, contentHash string, found Found, now time.Time) error {
	for cs := found.Candidates; len(cs) > 0; {
		n := min(len(cs), saveBatchRows)
		if err := insertCandidates(ctx, q, articleID, cs[:n]); err != nil {
			return err
		}
		cs = cs[n:]
	}
	msg := ""
	if found.Err != nil {
		msg = found.Err.Error()
	}
	_, err := q.ExecContext(ctx, `
		INSERT INTO quote_scans (article_id, content_hash, scanned_at, found, error) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash,
			scanned_at = excluded.scanned_at, found = excluded.found, error = excluded.error`,
		articleID, contentHash, now, len(found.Candidates), msg)
	if err != nil {
		return fmt.Errorf("record quote scan of article %d: %w", articleID, err)
	}
	return nil
}

// saveBatchRows bounds the candidates written by one INSERT (18
// parameters a row), well under SQLite's and PostgreSQL's parameter limits.
const saveBatchRows = 100

// insertCandidates writes cs in one multi-row statement: on PostgreSQL a
// statement per quotation was a round trip and a parse in the server each.
func insertCandidates(ctx context.Context, q store.Querier, articleID int64, cs []Candidate) error {
	const row = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	args := make([]any, 0, 18*len(cs))
	for _, c := range cs {
		cue, speaker, role := spanArgs(c.Cue), spanArgs(c.Speaker), spanArgs(c.Role)
		args = append(args, articleID, c.Position, c.Kind, c.Start, c.End, c.Quote,
			cue[0], cue[1], cue[2], speaker[0], speaker[1], speaker[2],
			c.SpeakerName, text.Normalize(c.SpeakerName), role[0], role[1], role[2], c.Confidence)
	}
	_, err := q.ExecContext(ctx, `
		INSERT INTO quote_candidates (article_id, position, kind, start_cp, end_cp, quote,
			cue, cue_start_cp, cue_end_cp, speaker, speaker_start_cp, speaker_end_cp,
			speaker_name, speaker_norm, role, role_start_cp, role_end_cp, confidence)
		VALUES `+row+strings.Repeat(", "+row, len(cs)-1), args...)
	if err != nil {
		return fmt.Errorf("quote candidates %d–%d of article %d: %w", cs[0].Position, cs[len(cs)-1].Position, articleID, err)
	}
	return nil
}

// spanArgs are the text, start and end columns of s; "", NULL, NULL for nil.
func spanArgs(s *Span) [3]any {
	if s == nil {
		return [3]any{"", nil, nil}
	}
	return [3]any{s.Text, s.Start, s.End}
}

const candidateColumns = `qc.id, qc.article_id, qc.position, qc.kind, qc.start_cp, qc.end_cp, qc.quote,
	qc.cue, qc.cue_start_cp, qc.cue_end_cp, qc.speaker, qc.speaker_start_cp, qc.speaker_end_cp,
	qc.speaker_name, qc.role, qc.role_start_cp, qc.role_end_cp, qc.confidence`

// scanCandidate scans candidateColumns followed by the destinations in after.
func scanCandidate(row interface{ Scan(...any) error }, after ...any) (Candidate, error) {
	var c Candidate
	var cue, speaker, role string
	var cs, ce, ss, se, rs, re sql.NullInt64
	dest := append([]any{&c.ID, &c.Article, &c.Position, &c.Kind, &c.Start, &c.End, &c.Quote,
		&cue, &cs, &ce, &speaker, &ss, &se, &c.SpeakerName, &role, &rs, &re, &c.Confidence}, after...)
	if err := row.Scan(dest...); err != nil {
		return c, err
	}
	c.Cue, c.Speaker, c.Role = spanOf(cue, cs, ce), spanOf(speaker, ss, se), spanOf(role, rs, re)
	return c, nil
}

func spanOf(t string, start, end sql.NullInt64) *Span {
	if !start.Valid || !end.Valid {
		return nil
	}
	return &Span{Start: int(start.Int64), End: int(end.Int64), Text: t}
}

// ForArticle lists an article's candidates in reading order.
func ForArticle(ctx context.Context, q store.Querier, articleID int64) ([]Candidate, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+candidateColumns+` FROM quote_candidates qc
		WHERE qc.article_id = ? ORDER BY qc.position`, articleID)
	if err != nil {
		return nil, fmt.Errorf("quote candidates of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, fmt.Errorf("quote candidates of article %d: %w", articleID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Scan is the record of the finder's last run on an article.
type Scan struct {
	ContentHash string
	ScannedAt   time.Time
	Found       int
	Error       string
}

// ScanOf returns the article's scan record; ok is false when the finder
// has not run on it (an article stored before candidates existed).
func ScanOf(ctx context.Context, q store.Querier, articleID int64) (s Scan, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT content_hash, scanned_at, found, error FROM quote_scans WHERE article_id = ?`,
		articleID).Scan(&s.ContentHash, &s.ScannedAt, &s.Found, &s.Error)
	if err == sql.ErrNoRows {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("quote scan of article %d: %w", articleID, err)
	}
	s.ScannedAt = s.ScannedAt.UTC()
	return s, true, nil
}
