package studio

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/text"
)

// "Who said what": a person's quotes over time, by outlet and camp
// (package quotes/candidates holds the data and draws the chart), and the
// speakers the quote finder met whom the roster does not know yet.

type whoSaidPage struct {
	Person  outlets.Person
	Native  bidi
	Total   int
	Clipped int
	Chart   template.HTML
	// Camps and Months are the chart's data as a table, its accessible
	// equivalent.
	Camps   []string
	Months  []monthRow
	Outlets []outletCount
	Quotes  []quoteRow
}

type monthRow struct {
	Label  string
	Counts []int
	Total  int
}

type outletCount struct {
	Name, Camp string
	Count      int
}

type quoteRow struct {
	Text                bidi
	Href, Date          string
	Outlet, Camp, Title string
	Kind                string
	Clip                int64
	Found               bool
	// SpeakerAs is the mention when it is not the name (a pronoun the
	// finder resolved); RoleAs the role written beside it.
	SpeakerAs, RoleAs string
}

func (s *studio) personQuotes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pe, err := outlets.PersonByKey(ctx, s.db, r.PathValue("key"))
	if err != nil {
		s.notFoundOr(w, r, err)
		return
	}
	qs, err := candidates.ForPerson(ctx, s.db, pe)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := candidates.ChartOf(qs)
	p := whoSaidPage{Person: pe, Native: newBidi(pe.NativeName), Total: len(qs),
		Chart: template.HTML(c.SVG("Quotes of " + pe.Name + " by month and camp"))}
	p.Camps = c.Camps
	for i, m := range c.Months {
		row := monthRow{Label: candidates.MonthLabel(m), Counts: c.Counts[i]}
		for _, n := range row.Counts {
			row.Total += n
		}
		p.Months = append(p.Months, row)
	}
	outletAt := map[string]int{}
	for _, q := range qs {
		if q.Clip != 0 {
			p.Clipped++
		}
		i, ok := outletAt[q.Outlet.Key]
		if !ok {
			i = len(p.Outlets)
			outletAt[q.Outlet.Key] = i
			p.Outlets = append(p.Outlets, outletCount{Name: q.Outlet.Name, Camp: q.Camp()})
		}
		p.Outlets[i].Count++
		row := quoteRow{Text: bidiIn(q.Quote, q.Lang), Date: q.Date.Format("2 Jan 2006"), Outlet: q.Outlet.Name,
			Camp: q.Camp(), Title: q.ArticleTitle, Kind: q.Kind, Clip: q.Clip, Found: q.Candidate.ID != 0,
			Href: fmt.Sprintf("/studio/articles/%d", q.Article)}
		switch {
		case row.Found:
			row.Href += fmt.Sprintf("#quote-%d", q.Candidate.ID)
			if q.Speaker != nil && q.Speaker.Text != q.SpeakerName {
				row.SpeakerAs = q.Speaker.Text
			}
			if q.Role != nil {
				row.RoleAs = q.Role.Text
			}
		default:
			row.Href += fmt.Sprintf("#clip-%d", q.Clip)
		}
		p.Quotes = append(p.Quotes, row)
	}
	// Outlets most quoted first; on a tie, the one quoting them latest.
	slices.SortStableFunc(p.Outlets, func(a, b outletCount) int { return b.Count - a.Count })
	s.render(w, r, http.StatusOK, "Who said what: "+pe.Name, "who-said", p)
}

// proposalRow is a speaker the finder met whom the roster lacks, with the
// link that opens the new-person form filled with what was found.
type proposalRow struct {
	Name, Role bidi
	Quotes     int
	Article    string
	Add        string
}

// proposals lists up to limit speakers proposed as new people.
func (s *studio) proposals(r *http.Request, limit int) ([]proposalRow, error) {
	ps, err := candidates.Proposals(r.Context(), s.db, limit)
	if err != nil {
		return nil, err
	}
	var out []proposalRow
	for _, p := range ps {
		add := url.Values{"native_name": {p.Name}}
		if p.Role != "" {
			add.Set("role", p.Role)
		}
		out = append(out, proposalRow{Name: newBidi(p.Name), Role: newBidi(p.Role), Quotes: p.Quotes,
			Article: fmt.Sprintf("/studio/articles/%d", p.Article), Add: "/studio/people/new?" + add.Encode()})
	}
	return out, nil
}

// dismissProposal stops proposing a speaker name as a new person.
func (s *studio) dismissProposal(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	ac, _ := accounts.ActorFrom(r.Context())
	if err := candidates.Dismiss(r.Context(), s.db, name, ac.Email); err != nil {
		if name == "" {
			s.render(w, r, http.StatusUnprocessableEntity, "People", "message", message{Title: "Nothing to dismiss",
				Text: "The form named no speaker; go back to the people and try again."})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/studio/people?"+url.Values{"dismissed": {name}}.Encode()+"#proposals", http.StatusSeeOther)
}

// quoteMark is a quote candidate as the article reader marks and lists
// it.
type quoteMark struct {
	ID int64
	// N is its number among the article's marked candidates, from 1.
	N          int
	Start, End int
	Text       bidi
	Kind, Cue  string
	// Speaker is whom the finder attributes it to; Mention how the text
	// names them when that differs (a pronoun); Role the role beside them.
	Speaker, Mention, Role bidi
	// SpeakerKey is the roster's key when exactly one person has the
	// speaker's name; the clip panel is then filled with it, and with the
	// name and role as a new speaker otherwise.
	SpeakerKey string
	// Outlet says the speaker is one of the desk's outlets ("Kayhan
	// wrote that …"): no person to clip it for.
	Outlet     bool
	Confidence int // per cent
}

// quoteMarks are the article's candidates that no clip covers yet.
func (w *work) quoteMarks(ctx context.Context, a ingest.Article, cs []clips.Clip) ([]quoteMark, error) {
	found, err := candidates.ForArticle(ctx, w.db, a.ID)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	roster, err := candidates.LoadRoster(ctx, w.db)
	if err != nil {
		return nil, err
	}
	os, err := outlets.ListOutlets(ctx, w.db)
	if err != nil {
		return nil, err
	}
	outletNames := map[string]bool{}
	for _, o := range os {
		outletNames[text.Normalize(o.Name)], outletNames[text.Normalize(o.NativeName)] = true, true
	}
	var out []quoteMark
	for _, c := range found {
		if slices.ContainsFunc(cs, func(cl clips.Clip) bool {
			return cl.Status == clips.StatusOK && cl.Anchor.Start < c.End && c.Start < cl.Anchor.End
		}) {
			continue
		}
		m := quoteMark{ID: c.ID, N: len(out) + 1, Start: c.Start, End: c.End, Text: bidiIn(c.Quote, a.Lang), Kind: c.Kind,
			Speaker: bidiIn(c.SpeakerName, a.Lang), Confidence: int(c.Confidence*100 + 0.5)}
		if c.Cue != nil {
			m.Cue = c.Cue.Text
		}
		if c.Speaker != nil && c.Speaker.Text != c.SpeakerName {
			m.Mention = bidiIn(c.Speaker.Text, a.Lang)
		}
		if c.Role != nil {
			m.Role = bidiIn(c.Role.Text, a.Lang)
		}
		if people := roster.Match(c.SpeakerName); len(people) == 1 {
			m.SpeakerKey = people[0].Key
		} else if len(people) == 0 {
			m.Outlet = outletNames[text.Normalize(c.SpeakerName)]
		}
		out = append(out, m)
	}
	return out, nil
}

// fillFromQuote fills the clip panel with the candidate whose id is
// param, when the article has it.
func (p *articlePage) fillFromQuote(param string) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return
	}
	for _, q := range p.Quotes {
		if q.ID != id {
			continue
		}
		p.Form.Start, p.Form.End, p.Form.Passage = strconv.Itoa(q.Start), strconv.Itoa(q.End), q.Text.Text
		p.Form.Speaker, p.Form.NewName, p.Form.NewNative, p.Form.NewRole = q.SpeakerKey, "", "", ""
		if q.SpeakerKey == "" && !q.Outlet {
			p.Form.NewNative, p.Form.NewRole = q.Speaker.Text, q.Role.Text
		}
		p.QuoteFilled = q.N
	}
}

// maxProposals bounds the proposals the people page lists: the most
// quoted unknown speakers are the ones worth adding first.
const maxProposals = 30
