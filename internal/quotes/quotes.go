// Package quotes finds quotations in news text — who said what — in Persian,
// Arabic and English: the quoted words, the speaker mention, the speaker's
// role, the cue (verb or phrase of saying), and the speaker a pronoun or
// anaphor refers to.
package quotes

// Span is a stretch of one paragraph. Paragraph is 1-based: the first
// paragraph Find is given (the first non-blank line, see Paragraphs) is 1,
// as in the CLI's output. Offsets are Unicode code points inside that
// paragraph of the original (not normalized) text, End exclusive.
type Span struct {
	Paragraph int    `json:"paragraph"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`
	// ByteStart and ByteEnd are the same stretch in bytes of the
	// paragraph, for a caller that slices it: candidates places the
	// spans in an article's text without counting code points again.
	// They are not part of the JSON lines. (32 bits, as the finder's
	// tokens keep them, so that the spans it allocates by the block grow
	// by 8 bytes, not 16.)
	ByteStart int32 `json:"-"`
	ByteEnd   int32 `json:"-"`
}

// Kinds of quotation.
const (
	Direct   = "direct"
	Indirect = "indirect"
)

// Candidate is one quotation found in a text. Its Span (Paragraph,
// 1-based, Start, End and Text, in the JSON line as the candidate's own)
// is the quoted content. Cue, Speaker and Role may point into an earlier
// paragraph, or be nil.
type Candidate struct {
	Span
	Kind            string  `json:"kind"`
	Cue             *Span   `json:"cue"`
	Speaker         *Span   `json:"speaker"`
	Role            *Span   `json:"role"`
	SpeakerResolved string  `json:"speaker_resolved"`
	Confidence      float64 `json:"confidence"`
	// Rule names the construction that found the candidate (colon,
	// cue-quote, quote-cue, that, stating, bare, according, continuation,
	// open-quote, heading…; docs/quotes.md lists them). It is for the
	// listing and the evaluation, not part of the JSON line format.
	Rule string `json:"-"`
}
