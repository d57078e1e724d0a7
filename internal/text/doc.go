// Package text holds the language-aware text primitives of the desk:
// normalization of Persian, Arabic and English text for matching, index
// tokens and stemming, language detection, word counts and reading time,
// simhash fingerprints for near-duplicate stories (with [SameStory] to
// tell a reprint from another report filled in from one template), and
// stop-word lists.
//
// Everything here works on a matching form of the text. Stored and
// displayed text is never rewritten: callers keep the original and use
// [Normalize], [Tokens] or [IndexText] only to compare, index and query,
// so that a folding rule can change later without touching archived
// articles: only a reindex is needed, which an upgraded desk runs by itself
// when AnalyzerVersion changes.
//
// The same functions must be applied to both sides of a comparison: an
// article indexed with [IndexText] is only findable by a query that went
// through [IndexText] too.
package text
