package studio

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pressreview/pressreview/internal/reviews"
)

// The composer's form carries an edition as flat fields. Lists keep their
// order in repeated fields whose values are ids local to the form:
//
//	entry=3 entry=7                       entries, in order
//	e3.date e3.lead_in e3.verb e3.intermediary
//	e3.outlet=12  o12.key o12.label o12.role o12.via
//	e3.speaker=13 s13.key s13.label s13.title_before
//	e3.inline=14  e3.item=15  i15.part=16  p16.kind p16.text p16.original p16.lang p16.source p16.clip
//
// Reordering in the browser moves the fields, and with them the order of
// the repeated values; the server never needs the script to rebuild JSON.

// formIDs hands out the ids of one rendering of the composer.
type formIDs struct{ n int }

func (f *formIDs) next() string { f.n++; return strconv.Itoa(f.n) }

// composeEntry is an entry as the composer's template draws it.
type composeEntry struct {
	ID, Number string
	Entry      reviews.Entry
	Suggestion string
	Outlets    []composeOutlet
	Speakers   []composeSpeaker
	Inline     []composePart
	Items      []composeItem
}

type composeOutlet struct {
	ID string
	reviews.OutletRef
}

type composeSpeaker struct {
	ID string
	reviews.SpeakerRef
}

type composeItem struct {
	ID    string
	Parts []composePart
}

type composePart struct {
	// Owner is the repeated field that lists the part: "e3.inline" or
	// "i15.part".
	ID, Owner string
	reviews.Part
	Dir string
}

// composeEntries gives every list element of the edition an id.
func composeEntries(e reviews.Edition, r reviews.Roster) []composeEntry {
	ids := &formIDs{}
	part := func(owner string, p reviews.Part) composePart {
		return composePart{ID: ids.next(), Owner: owner, Part: p, Dir: bidiIn(p.Original, p.OriginalLang).Dir}
	}
	out := make([]composeEntry, len(e.Entries))
	for i, en := range e.Entries {
		// A pressreview/1 entry is drawn in the current model, labelled and
		// with the lead-in it printed, so that saving it keeps its words.
		en = reviews.WithLabels(reviews.Upgrade(en, r), r)
		ce := composeEntry{ID: ids.next(), Number: strconv.Itoa(i + 1), Entry: en, Suggestion: reviews.SuggestLeadIn(en, r)}
		for _, o := range en.Outlets {
			ce.Outlets = append(ce.Outlets, composeOutlet{ID: ids.next(), OutletRef: o})
		}
		for _, sp := range en.Speakers {
			ce.Speakers = append(ce.Speakers, composeSpeaker{ID: ids.next(), SpeakerRef: sp})
		}
		for _, p := range en.Inline {
			ce.Inline = append(ce.Inline, part("e"+ce.ID+".inline", p))
		}
		for _, it := range en.Items {
			ci := composeItem{ID: ids.next()}
			for _, p := range it.Parts {
				ci.Parts = append(ci.Parts, part("i"+ci.ID+".part", p))
			}
			ce.Items = append(ce.Items, ci)
		}
		out[i] = ce
	}
	return out
}

// formIndex maps the form's ids to positions in the edition read from it.
type formIndex struct {
	entries []string          // entry ids in order
	items   map[string][2]int // item id → entry and item position
}

// positional turns an op that names form ids ("up:7", "item-up:15") into
// one that names positions, as applyOp takes them.
func (ix formIndex) positional(op string) (string, error) {
	name, id, _ := strings.Cut(op, ":")
	if id == "" {
		return name, nil
	}
	if strings.HasPrefix(name, "item-") || name == "remove-item" || name == "add-narration" {
		at, ok := ix.items[id]
		if !ok {
			return "", fmt.Errorf("op %q: no such item", op)
		}
		return fmt.Sprintf("%s:%d:%d", name, at[0], at[1]), nil
	}
	if i := slices.Index(ix.entries, id); i >= 0 {
		return name + ":" + strconv.Itoa(i), nil
	}
	return "", fmt.Errorf("op %q: no such entry", op)
}

// editionFromForm reads the composer's fields over base, which supplies
// what the form does not edit (slug, series, status, disclaimer), with
// the index of its ids, to map ops, errors and suggestions back.
func editionFromForm(base reviews.Edition, f url.Values) (reviews.Edition, formIndex, error) {
	e := base
	e.Title = strings.TrimSpace(f.Get("title"))
	e.Date = strings.TrimSpace(f.Get("date"))
	e.Dek = strings.TrimSpace(f.Get("dek"))
	e.Intro = strings.TrimSpace(f.Get("intro"))
	e.Authors = splitKeys(f.Get("authors"))
	e.Entries = nil
	ids := f["entry"]
	ix := formIndex{items: map[string][2]int{}}
	for _, id := range ids {
		en, items, err := entryFromForm(f, id)
		if err != nil {
			return e, ix, err
		}
		for k, it := range items {
			ix.items[it] = [2]int{len(e.Entries), k}
		}
		e.Entries = append(e.Entries, en)
		ix.entries = append(ix.entries, id)
	}
	return e, ix, nil
}

// entryFromForm reads entry id and the ids of the items it kept.
func entryFromForm(f url.Values, id string) (reviews.Entry, []string, error) {
	p := "e" + id + "."
	en := reviews.Entry{Date: strings.TrimSpace(f.Get(p + "date")), LeadIn: strings.TrimSpace(f.Get(p + "lead_in")),
		Verb: strings.TrimSpace(f.Get(p + "verb")), Intermediary: strings.TrimSpace(f.Get(p + "intermediary"))}
	for _, o := range f[p+"outlet"] {
		q := "o" + o + "."
		ref := reviews.OutletRef{Key: strings.TrimSpace(f.Get(q + "key")), Label: strings.TrimSpace(f.Get(q + "label")),
			Role: reviews.Role(f.Get(q + "role")), Intermediary: strings.TrimSpace(f.Get(q + "via"))}
		if ref.Key == "" && ref.Label == "" {
			continue // a blank row the analyst did not fill
		}
		en.Outlets = append(en.Outlets, ref)
	}
	for _, s := range f[p+"speaker"] {
		q := "s" + s + "."
		ref := reviews.SpeakerRef{Key: strings.TrimSpace(f.Get(q + "key")), Label: strings.TrimSpace(f.Get(q + "label")),
			TitleBefore: f.Get(q+"title_before") != ""}
		if ref.Key == "" && ref.Label == "" {
			continue
		}
		en.Speakers = append(en.Speakers, ref)
	}
	var err error
	if en.Inline, err = partsFromForm(f, f[p+"inline"]); err != nil {
		return en, nil, err
	}
	var items []string
	for _, it := range f[p+"item"] {
		parts, err := partsFromForm(f, f["i"+it+".part"])
		if err != nil {
			return en, nil, err
		}
		if len(parts) > 0 {
			en.Items = append(en.Items, reviews.Item{Parts: parts})
			items = append(items, it)
		}
	}
	return en, items, nil
}

func partsFromForm(f url.Values, ids []string) ([]reviews.Part, error) {
	var out []reviews.Part
	for _, id := range ids {
		q := "p" + id + "."
		pt := reviews.Part{Kind: reviews.PartKind(f.Get(q + "kind")), Text: strings.TrimSpace(f.Get(q + "text")),
			Original: strings.TrimSpace(f.Get(q + "original")), OriginalLang: strings.TrimSpace(f.Get(q + "lang")),
			SourceURL: strings.TrimSpace(f.Get(q + "source"))}
		if pt.Text == "" && pt.Original == "" {
			continue // an empty part left by "add"
		}
		if pt.Original == "" {
			pt.OriginalLang = ""
		}
		if v := f.Get(q + "clip"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("clip %q is not a clip id", v)
			}
			pt.Clip = n
		}
		out = append(out, pt)
	}
	return out, nil
}

// blankEntry is an entry left empty after "add an entry": it is drawn,
// and ops work on it, but it is not saved.
func blankEntry(en reviews.Entry) bool {
	return len(en.Outlets) == 0 && len(en.Speakers) == 0 && en.LeadIn == "" && en.Verb == "" &&
		len(en.Inline) == 0 && len(en.Items) == 0
}

func splitKeys(s string) []string {
	var out []string
	for _, k := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, strings.ToLower(k))
	}
	return out
}

// adds are the ops that only add a blank row to fill in: the form is drawn
// again with it, and saved once there is something in it.
var adds = []string{"add-entry", "add-outlet", "add-speaker", "add-inline", "add-item", "add-narration"}

// applyOp carries out a button of the composer that works without
// JavaScript: "add-entry", "add-item:3" (entry index), "up:3", "down:3",
// "remove:3", "item-up:3:1", "item-down:3:1", "remove-item:3:1",
// "add-outlet:3", "add-speaker:3", "add-inline:3", "add-narration:3:1",
// "suggest:3". Indexes are positions, from 0 (the form's buttons name ids:
// see formIndex.positional).
func applyOp(e *reviews.Edition, op string, r reviews.Roster) error {
	name, args, _ := strings.Cut(op, ":")
	var n []int
	if args != "" {
		for _, a := range strings.Split(args, ":") {
			v, err := strconv.Atoi(a)
			if err != nil {
				return fmt.Errorf("op %q: %q is not a position", op, a)
			}
			n = append(n, v)
		}
	}
	entry := func() (*reviews.Entry, error) {
		if len(n) == 0 || n[0] < 0 || n[0] >= len(e.Entries) {
			return nil, fmt.Errorf("op %q: no such entry", op)
		}
		return &e.Entries[n[0]], nil
	}
	item := func(en *reviews.Entry) (int, error) {
		if len(n) < 2 || n[1] < 0 || n[1] >= len(en.Items) {
			return 0, fmt.Errorf("op %q: no such item", op)
		}
		return n[1], nil
	}
	if name == "add-entry" {
		date := e.Date
		if len(e.Entries) > 0 {
			date = e.Entries[len(e.Entries)-1].Date
		}
		e.Entries = append(e.Entries, reviews.Entry{Date: date})
		return nil
	}
	en, err := entry()
	if err != nil {
		return err
	}
	i := n[0]
	switch name {
	case "up", "down":
		j := i - 1
		if name == "down" {
			j = i + 1
		}
		if j >= 0 && j < len(e.Entries) {
			e.Entries[i], e.Entries[j] = e.Entries[j], e.Entries[i]
		}
	case "remove":
		e.Entries = slices.Delete(e.Entries, i, i+1)
	case "add-outlet":
		en.Outlets = append(en.Outlets, reviews.OutletRef{Role: reviews.Source})
	case "add-speaker":
		en.Speakers = append(en.Speakers, reviews.SpeakerRef{})
	case "add-inline":
		en.Inline = append(en.Inline, reviews.Part{Kind: reviews.Quote})
	case "add-item":
		en.Items = append(en.Items, reviews.Item{Parts: []reviews.Part{{Kind: reviews.Quote}}})
	case "suggest":
		en.LeadIn = ""
		en.LeadIn = reviews.SuggestLeadIn(*en, r)
	case "item-up", "item-down", "remove-item", "add-narration":
		k, err := item(en)
		if err != nil {
			return err
		}
		switch name {
		case "item-up", "item-down":
			l := k - 1
			if name == "item-down" {
				l = k + 1
			}
			if l >= 0 && l < len(en.Items) {
				en.Items[k], en.Items[l] = en.Items[l], en.Items[k]
			}
		case "remove-item":
			en.Items = slices.Delete(en.Items, k, k+1)
		case "add-narration":
			en.Items[k].Parts = append(en.Items[k].Parts, reviews.Part{Kind: reviews.Narration})
		}
	default:
		return fmt.Errorf("op %q: unknown", op)
	}
	return nil
}
