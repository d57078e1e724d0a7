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
	"strings"
	"time"
	"unicode/utf8"

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
	runes int // code points of text
}

// runeCount is utf8.RuneCountInString for valid UTF-8: the bytes that do
// not continue a character. The finder rejects any other text, so only
// valid text has spans to place; counting bytes is four times faster on
// Arabic script than decoding, which took a tenth of Find's time.
//
// Eight bytes at a time, each byte of acc counting the continuation bytes
// seen in its place, summed once per block of up to 255 words (a byte's
// count cannot overflow). A population count per word (a test of the
// CPU's features each time, below GOAMD64=v2) and a bounds test per byte
// were twice the instructions, a tenth of the finder's at ingest.
func runeCount(s string) int {
	n, i := len(s), 0
	for len(s)-i >= 8 {
		var acc uint64
		for end := i + 8*min((len(s)-i)/8, 255); i < end; i += 8 {
			w := load64(s[i : i+8])
			acc += (w &^ (w << 1) & 0x8080808080808080) >> 7
		}
		acc = acc&0x00FF00FF00FF00FF + acc>>8&0x00FF00FF00FF00FF // four sums of up to 510
		n -= int(acc * 0x0001000100010001 >> 48)
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// load64 reads the eight bytes of s, little-endian, in one load.
func load64(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// paragraphs locates in s the paragraphs the finder took (texts, from
// quotes.Paragraphs, so that a paragraph number means the same as in the
// CLI), whose lengths in code points the finder counted (runes): every
// one is a line of s, trimmed, in order. Only what lies between them is
// counted here.
func paragraphs(s string, texts []string, runes []int) []paragraph {
	out := make([]paragraph, 0, len(texts))
	at, cp := 0, 0 // the byte and code-point offsets searched from
	for k, p := range texts {
		i := strings.Index(s[at:], p)
		if i < 0 {
			// Not a line of the text: quotes.Paragraphs changed what it
			// does. Its spans could not be placed, so nothing is found.
			return nil
		}
		cp += runeCount(s[at : at+i])
		out = append(out, paragraph{start: cp, text: p, runes: runes[k]})
		at += i + len(p)
		cp += runes[k]
	}
	return out
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
	texts := quotes.Paragraphs(articleText)
	if len(texts) == 0 {
		return Found{}
	}
	defer func() {
		// A finder bug on one article's text must not stop the intake.
		if r := recover(); r != nil {
			f = Found{Err: fmt.Errorf("quote finder: panic: %v", r)}
		}
	}()
	runes := make([]int, len(texts))
	cs, err := quotes.FindRunes(texts, lang, runes)
	if err != nil {
		return Found{Err: fmt.Errorf("quote finder: %w", err)}
	}
	if len(cs) == 0 {
		return Found{}
	}
	ps := paragraphs(articleText, texts, runes)
	if ps == nil {
		return Found{}
	}
	f.Candidates = make([]Candidate, 0, len(cs))
	// The candidates' cue, speaker and role, in one allocation rather
	// than one each.
	spans := make([]Span, 0, 3*len(cs))
	for _, c := range cs {
		q, err := place(ps, c, &spans)
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
// offsets of the whole text, whose own words it takes. Its cue, speaker
// and role are appended to *spans, which has room for them (or is grown).
func place(ps []paragraph, c quotes.Candidate, spans *[]Span) (Candidate, error) {
	q := Candidate{Kind: c.Kind, Confidence: min(max(c.Confidence, 0), 1), SpeakerName: strings.TrimSpace(c.SpeakerResolved)}
	if q.Kind != quotes.Direct && q.Kind != quotes.Indirect {
		return q, fmt.Errorf("candidate in paragraph %d: unknown kind %q", c.Paragraph, c.Kind)
	}
	body, err := span(ps, c.Span)
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
		if len(*spans) == cap(*spans) {
			*spans = make([]Span, 0, 3) // a new block: the spans handed out stay where they are
		}
		*spans = append(*spans, sp)
		*s.to = &(*spans)[len(*spans)-1]
	}
	if q.SpeakerName == "" && q.Speaker != nil {
		q.SpeakerName = q.Speaker.Text
	}
	return q, nil
}

// span places s, whose paragraph is 1-based, in the text; its words are
// the paragraph's, sliced at the span's byte offsets. (The article's text
// is not converted to code points whole: that cost as much as the
// finder's own scan. Finding each span's bytes from its code points, by
// reading its paragraph, was 7% of Find at ingest.)
func span(ps []paragraph, s quotes.Span) (Span, error) {
	if s.Paragraph < 1 || s.Paragraph > len(ps) {
		return Span{}, fmt.Errorf("span in paragraph %d, of %d paragraphs", s.Paragraph, len(ps))
	}
	p := &ps[s.Paragraph-1]
	from, to := int(s.ByteStart), int(s.ByteEnd)
	if s.Start < 0 || s.Start >= s.End || s.End > p.runes || from < 0 || from >= to || to > len(p.text) || !startsRune(p.text, from) || !startsRune(p.text, to) || runeCount(p.text[from:to]) != s.End-s.Start {
		return Span{}, fmt.Errorf("span %d–%d (bytes %d–%d) outside paragraph %d, of %d code points", s.Start, s.End, from, to, s.Paragraph, p.runes)
	}
	return Span{Start: p.start + s.Start, End: p.start + s.End, Text: p.text[from:to]}, nil
}

// startsRune reports whether byte i of s starts a character or is the end
// of s: a span cut there does not split one.
func startsRune(s string, i int) bool {
	return i == len(s) || utf8.RuneStart(s[i])
}

// Save replaces the candidates of an article with found, in the caller's
// transaction, and records the scan: which text (contentHash), when, and
// the finder's error. Run again on the same article it leaves the same
// rows, never twice as many.
func Save(ctx context.Context, q store.Querier, articleID int64, contentHash string, found Found, now time.Time) error {
	if err := Clear(ctx, q, articleID); err != nil {
		return err
	}
	return SaveNew(ctx, q, articleID, contentHash, found, now)
}

// Clear deletes the candidates of an article, whose next ones SaveNew or
// SaveScans will store: the intake clears an edited article's at once
// and stores the new text's with its group's.
func Clear(ctx context.Context, q store.Querier, articleID int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM quote_candidates WHERE article_id = ?`, articleID); err != nil {
		return fmt.Errorf("quote candidates of article %d: %w", articleID, err)
	}
	return nil
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

// Scanned is one article's finder result, for SaveScans.
type Scanned struct {
	ArticleID   int64
	ContentHash string
	Found       Found
}

// SaveScans is SaveNew for several articles, none of which has candidates
// stored (new in the caller's transaction, or whose old ones the caller
// deleted), the article ids distinct: the intake stores a group's
// quotations at its end, in one statement on PostgreSQL (candidates and
// scans as arrays, one text whatever their number, so it is planned
// once), instead of one or two an article, each a round trip made while
// the group holds the story lock.
func SaveScans(ctx context.Context, q store.Querier, scans []Scanned, now time.Time) error {
	if len(scans) == 0 {
		return nil
	}
	if q.Dialect() != store.Postgres {
		for _, s := range scans {
			if err := SaveNew(ctx, q, s.ArticleID, s.ContentHash, s.Found, now); err != nil {
				return err
			}
		}
		return nil
	}
	var c struct {
		article                                        []int64
		position, start, end                           []int32
		kind, quote, cue, speaker, name, norm, role    []string
		cueStart, cueEnd, spStart, spEnd, rStart, rEnd []*int32
		confidence                                     []float64
	}
	span := func(s *Span, text *[]string, start, end *[]*int32) {
		if s == nil {
			*text, *start, *end = append(*text, ""), append(*start, nil), append(*end, nil)
			return
		}
		from, to := int32(s.Start), int32(s.End)
		*text, *start, *end = append(*text, s.Text), append(*start, &from), append(*end, &to)
	}
	ids, hashes, counts, errs := make([]int64, len(scans)), make([]string, len(scans)), make([]int32, len(scans)), make([]string, len(scans))
	for i, s := range scans {
		ids[i], hashes[i], counts[i] = s.ArticleID, s.ContentHash, int32(len(s.Found.Candidates))
		if s.Found.Err != nil {
			errs[i] = s.Found.Err.Error()
		}
		for _, x := range s.Found.Candidates {
			c.article = append(c.article, s.ArticleID)
			c.position, c.start, c.end = append(c.position, int32(x.Position)), append(c.start, int32(x.Start)), append(c.end, int32(x.End))
			c.kind, c.quote = append(c.kind, x.Kind), append(c.quote, x.Quote)
			span(x.Cue, &c.cue, &c.cueStart, &c.cueEnd)
			span(x.Speaker, &c.speaker, &c.spStart, &c.spEnd)
			span(x.Role, &c.role, &c.rStart, &c.rEnd)
			c.name, c.norm = append(c.name, x.SpeakerName), append(c.norm, text.Normalize(x.SpeakerName))
			c.confidence = append(c.confidence, x.Confidence)
		}
	}
	_, err := q.ExecContext(ctx, `
		WITH found AS (
			INSERT INTO quote_candidates (article_id, position, kind, start_cp, end_cp, quote,
				cue, cue_start_cp, cue_end_cp, speaker, speaker_start_cp, speaker_end_cp,
				speaker_name, speaker_norm, role, role_start_cp, role_end_cp, confidence)
			SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS integer[]),
				CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS integer[]),
				CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS text[]),
				CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS double precision[])))
		INSERT INTO quote_scans (article_id, content_hash, scanned_at, found, error)
		SELECT id, hash, ?, n, err FROM unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS text[]))
			AS s(id, hash, n, err)
		ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash,
			scanned_at = excluded.scanned_at, found = excluded.found, error = excluded.error`,
		c.article, c.position, c.kind, c.start, c.end, c.quote, c.cue, c.cueStart, c.cueEnd,
		c.speaker, c.spStart, c.spEnd, c.name, c.norm, c.role, c.rStart, c.rEnd, c.confidence,
		now, ids, hashes, counts, errs)
	if err != nil {
		return fmt.Errorf("quote candidates and scans of articles %v: %w", ids, err)
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
