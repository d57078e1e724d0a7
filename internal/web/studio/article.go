package studio

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

// Work is what the studio's clipping and composing screens need besides
// the store: the clips service (which reads WARC captures for an anchor's
// digest) and the newsletter service (for "send as newsletter"). Letters
// may be nil: the newsletter screens then say it is not set up.
type Work struct {
	Clips   *clips.Service
	Letters *newsletter.Service
}

// RegisterWork mounts the article reader with clipping, the clipboard and
// the edition composer with its workflow, versions and newsletter. The
// preview pane loads /api/editions/{slug}/preview (editorial.APIHandler),
// and the speaker picker /api/speakers (clips.Handler): mount both.
func RegisterWork(srv *web.Server, db *store.DB, auth *accounts.Auth, wk Work) {
	s := &studio{srv: srv, db: db, auth: auth, log: slog.Default()}
	w := &work{studio: s, Work: wk}
	analyst := auth.RequireRole(accounts.Analyst)
	editor := auth.RequireRole(accounts.Editor)
	handle := func(pattern string, role func(http.Handler) http.Handler, h http.HandlerFunc) {
		srv.Handle(pattern, role(s.limitForm(h)))
	}
	handle("GET /studio/articles/{id}", analyst, w.article)
	handle("POST /studio/articles/{id}/clips", analyst, w.clipSave)
	handle("GET /studio/clips", analyst, w.clipboard)
	handle("POST /studio/clips/entry", analyst, w.clipsToEntry)

	handle("GET /studio/editions/new", analyst, w.editionNew)
	handle("POST /studio/editions/new", analyst, w.editionCreate)
	handle("GET /studio/editions/{slug}", analyst, w.composer)
	handle("POST /studio/editions/{slug}", analyst, w.composerSave)
	handle("POST /studio/editions/{slug}/merge", analyst, w.merge)
	handle("GET /studio/editions/{slug}/confirm/{action}", analyst, w.confirm)
	handle("POST /studio/editions/{slug}/do/{action}", analyst, w.do)
	handle("GET /studio/editions/{slug}/versions", analyst, w.versions)
	handle("GET /studio/editions/{slug}/diff", analyst, w.diff)
	handle("POST /studio/editions/{slug}/versions/{n}/restore", analyst, w.restore)
	handle("GET /studio/editions/{slug}/newsletter", editor, w.newsletterPage)
	handle("POST /studio/editions/{slug}/newsletter", editor, w.newsletterCreate)
	handle("POST /studio/editions/{slug}/newsletter/test", editor, w.newsletterTest)
}

type work struct {
	*studio
	Work
}

// assets gives a page the URLs of the static files it links.
func (w *work) asset(name string) string {
	u, err := w.srv.Asset(name)
	if err != nil {
		// A missing asset is a build mistake; the page still works
		// without its script.
		w.log.Error("studio asset", "name", name, "err", err)
	}
	return u
}

type articlePage struct {
	Article            ingest.Article
	Outlet             outlets.Outlet
	Body               []segment
	Lang, Dir          string
	Published, Fetched string
	Archive            string
	Story              []storyRow
	Revisions          []revisionRow
	Clips              []articleClip
	Quotes             []quoteMark
	QuoteFilled        int // the number of the candidate the panel was filled with
	Outlets            []outlets.Outlet
	Form               clipForm
	Error              string
	Saved              int64
	Script, Style      string
}

// segment is a run of the article's text, highlighted when a clip or a
// quote candidate covers it. The text container holds the segments and
// nothing else, so that code-point offsets counted in the browser are
// offsets into the text.
type segment struct {
	Text  string
	Clip  int64
	Quote *quoteMark
}

type storyRow struct {
	ID                  int64
	Title, Outlet, Date string
	Lang, Dir           string
	Current, Original   bool
}

type revisionRow struct {
	Kind, Seen, TitleBefore, TitleAfter string
	Diff                                []lineRow
	Archive                             string
}

type lineRow struct{ Op, Text, Class string }

type articleClip struct {
	clips.Clip
	Lang, Dir string
}

// clipForm is the clip panel's fields as the analyst left them.
type clipForm struct {
	Start, End, Passage, Translation string
	Speaker, NewName, NewNative      string
	NewRole, Outlet, Date            string
	Intermediary                     string
}

func (w *work) article(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		w.notFound(rw, r, "There is no article "+r.PathValue("id")+".")
		return
	}
	p, err := w.loadArticle(r, id)
	if errors.Is(err, store.ErrNotFound) {
		w.notFound(rw, r, "There is no article "+r.PathValue("id")+".")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p.Saved, _ = strconv.ParseInt(r.URL.Query().Get("clipped"), 10, 64)
	// The speaker of the article's newest clip is the likeliest speaker
	// of the next: a long interview is clipped passage after passage.
	if len(p.Clips) > 0 {
		p.Form.Speaker = p.Clips[0].Speaker.Key
	}
	// "Clip it" on a quote candidate, without JavaScript: the panel is
	// filled with the quote and its speaker.
	p.fillFromQuote(r.URL.Query().Get("quote"))
	w.render(rw, r, http.StatusOK, p.Article.Title, "article", p)
}

func (w *work) notFound(rw http.ResponseWriter, r *http.Request, text string) {
	w.render(rw, r, http.StatusNotFound, "Not found", "message", message{Title: "Not found", Text: text})
}

func (w *work) loadArticle(r *http.Request, id int64) (*articlePage, error) {
	ctx := r.Context()
	a, err := ingest.ArticleByID(ctx, w.db, id)
	if err != nil {
		return nil, err
	}
	o, err := outlets.OutletByKey(ctx, w.db, a.OutletKey)
	if err != nil {
		return nil, err
	}
	p := &articlePage{Article: a, Outlet: o, Script: w.asset("studio-clip.js"), Style: w.asset("studio-work.css")}
	p.Lang, p.Dir = a.Lang, bidiIn(a.Text, a.Lang).Dir
	p.Fetched = a.FetchedAt.UTC().Format("2 Jan 2006 15:04 UTC")
	day := a.FetchedAt.UTC()
	if a.Published != nil {
		p.Published = a.Published.UTC().Format("2 Jan 2006 15:04 UTC")
		day = a.Published.UTC()
	}
	if a.CaptureID != nil {
		p.Archive = clips.ArchivePath(*a.CaptureID)
	}
	p.Form = clipForm{Outlet: o.Key, Date: day.Format(time.DateOnly)}
	if p.Outlets, err = outlets.ListOutlets(ctx, w.db); err != nil {
		return nil, err
	}
	story, err := ingest.Story(ctx, w.db, id)
	if err != nil {
		return nil, err
	}
	if len(story) > 1 {
		for i, s := range story {
			b := bidiIn(s.Title, s.Lang)
			day := s.FetchedAt
			if s.Published != nil {
				day = *s.Published
			}
			p.Story = append(p.Story, storyRow{ID: s.ID, Title: s.Title, Outlet: s.OutletKey, Lang: b.Lang, Dir: b.Dir,
				Date: day.UTC().Format("2 Jan 2006"), Current: s.ID == id, Original: i == 0})
		}
	}
	revs, err := ingest.Revisions(ctx, w.db, id)
	if err != nil {
		return nil, err
	}
	for _, rv := range revs {
		row := revisionRow{Kind: rv.Kind, Seen: rv.SeenAt.UTC().Format("2 Jan 2006 15:04 UTC"),
			TitleBefore: rv.TitleBefore, TitleAfter: rv.TitleAfter, Diff: textDiffRows(rv.Diff)}
		if rv.CaptureID != nil {
			row.Archive = clips.ArchivePath(*rv.CaptureID)
		}
		p.Revisions = append(p.Revisions, row)
	}
	cs, err := w.Clips.List(ctx, clips.Filter{Article: id})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		b := bidiIn(c.Original, c.OriginalLang)
		p.Clips = append(p.Clips, articleClip{Clip: c, Lang: b.Lang, Dir: b.Dir})
	}
	qs, err := w.quoteMarks(ctx, a, cs)
	if err != nil {
		return nil, err
	}
	p.Quotes = qs
	p.Body = segments(a.Text, cs, qs)
	return p, nil
}

// segments cuts text at the clips that still stand where they were
// anchored, and at the quote candidates not clipped yet (qs, which
// quoteMarks left out of the clipped ones); a clip flagged by a re-check,
// or a mark overlapping one already made, is listed but not highlighted.
func segments(text string, cs []clips.Clip, qs []quoteMark) []segment {
	runes := []rune(text)
	type mark struct {
		start, end int
		seg        segment
	}
	var marks []mark
	for _, c := range cs {
		a := c.Anchor
		if c.Status == clips.StatusOK && a.Start >= 0 && a.End <= len(runes) && a.Start < a.End &&
			string(runes[a.Start:a.End]) == a.Exact {
			marks = append(marks, mark{a.Start, a.End, segment{Text: a.Exact, Clip: c.ID}})
		}
	}
	for i, q := range qs {
		if q.Start >= 0 && q.End <= len(runes) && q.Start < q.End {
			marks = append(marks, mark{q.Start, q.End, segment{Text: string(runes[q.Start:q.End]), Quote: &qs[i]}})
		}
	}
	slices.SortStableFunc(marks, func(a, b mark) int { return a.start - b.start })
	var out []segment
	at := 0
	for _, m := range marks {
		if m.start < at {
			continue
		}
		if m.start > at {
			out = append(out, segment{Text: string(runes[at:m.start])})
		}
		out = append(out, m.seg)
		at = m.end
	}
	if at < len(runes) {
		out = append(out, segment{Text: string(runes[at:])})
	}
	return out
}

// textDiffRows reads a revision's diff ("- " removed, "+ " added lines).
func textDiffRows(diff string) []lineRow {
	var out []lineRow
	for _, l := range strings.Split(strings.TrimRight(diff, "\n"), "\n") {
		switch {
		case l == "":
		case strings.HasPrefix(l, "- "):
			out = append(out, lineRow{Op: "−", Text: l[2:], Class: "del"})
		case strings.HasPrefix(l, "+ "):
			out = append(out, lineRow{Op: "+", Text: l[2:], Class: "ins"})
		default:
			out = append(out, lineRow{Op: " ", Text: l})
		}
	}
	return out
}

func (w *work) clipSave(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		w.notFound(rw, r, "There is no article "+r.PathValue("id")+".")
		return
	}
	if err := r.ParseForm(); err != nil {
		w.render(rw, r, http.StatusBadRequest, "Clip", "message", message{Title: "The clip could not be read",
			Text: "The form was too large or malformed; go back and try again."})
		return
	}
	f := r.PostForm
	in := clipForm{Start: f.Get("start"), End: f.Get("end"), Passage: f.Get("passage"), Translation: f.Get("translation"),
		Speaker: strings.TrimSpace(f.Get("speaker")), NewName: strings.TrimSpace(f.Get("new_name")),
		NewNative: strings.TrimSpace(f.Get("new_native")), NewRole: strings.TrimSpace(f.Get("new_role")),
		Outlet: f.Get("outlet"), Date: f.Get("date"), Intermediary: f.Get("intermediary")}
	p, err := w.loadArticle(r, id)
	if errors.Is(err, store.ErrNotFound) {
		w.notFound(rw, r, "There is no article "+r.PathValue("id")+".")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	ac, _ := accounts.ActorFrom(r.Context())
	nc, err := w.newClip(r, p.Article, in)
	var c clips.Clip
	if err == nil {
		nc.CreatedBy = ac.Email
		c, err = w.Clips.Save(r.Context(), nc)
	}
	var ce *clips.Error
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/studio/articles/%d?clipped=%d#clip-%d", id, c.ID, c.ID), http.StatusSeeOther)
	case errors.As(err, &ce):
		p.Form, p.Error = in, ce.Field+": "+ce.Message
		status := http.StatusUnprocessableEntity
		if ce.Code == clips.Conflict {
			status = http.StatusConflict
		}
		w.render(rw, r, status, p.Article.Title, "article", p)
	default:
		w.fail(rw, r, err)
	}
}

// newClip reads the clip panel: the passage by offsets, or (without
// JavaScript) by its exact text when that occurs once; the speaker by key
// or by a name that names one person, or a new person.
func (w *work) newClip(r *http.Request, a ingest.Article, in clipForm) (clips.NewClip, error) {
	nc := clips.NewClip{Article: a.ID, Translation: in.Translation, Outlet: in.Outlet, Date: in.Date,
		Intermediary: in.Intermediary}
	bad := func(field, format string, args ...any) error {
		return &clips.Error{Code: clips.Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	switch {
	case in.Start != "" || in.End != "":
		start, err1 := strconv.Atoi(in.Start)
		end, err2 := strconv.Atoi(in.End)
		if err1 != nil || err2 != nil {
			return nc, bad("start", "start and end must both be numbers (code points into the text), got %q and %q", in.Start, in.End)
		}
		nc.Start, nc.End = &start, &end
	case strings.TrimSpace(in.Passage) != "":
		start, err := uniqueAt(a.Text, strings.TrimSpace(in.Passage))
		if err != nil {
			return nc, bad("passage", "%s", err)
		}
		end := start + len([]rune(strings.TrimSpace(in.Passage)))
		nc.Start, nc.End = &start, &end
	default:
		return nc, bad("passage", "select a passage of the text (or paste it, or give start and end)")
	}
	switch {
	case in.NewName != "":
		nc.Speaker = clips.SpeakerRef{New: &outlets.Person{Name: in.NewName, NativeName: in.NewNative, Role: in.NewRole}}
	case in.Speaker == "":
		return nc, bad("speaker", "pick a speaker from the roster, or add a new one with a name and a role")
	default:
		key, err := w.speakerKey(r, in.Speaker)
		if err != nil {
			return nc, err
		}
		nc.Speaker = clips.SpeakerRef{Key: key}
	}
	return nc, nil
}

// uniqueAt is the code-point offset of passage in text, which must occur
// exactly once: a clip is anchored to one place.
func uniqueAt(text, passage string) (int, error) {
	i := strings.Index(text, passage)
	if i < 0 {
		return 0, errors.New("this passage is not in the article's text; copy it exactly")
	}
	if strings.Contains(text[i+1:], passage) {
		return 0, errors.New("this passage occurs more than once in the text; give a longer one, or start and end")
	}
	return len([]rune(text[:i])), nil
}

// speakerKey resolves what the speaker field holds: a roster key, or a
// name or alias in either script that names exactly one person.
func (w *work) speakerKey(r *http.Request, v string) (string, error) {
	people, err := outlets.FindPeople(r.Context(), w.db, v, 0)
	if err != nil {
		return "", err
	}
	if len(people) > 0 && people[0].Key == strings.ToLower(v) {
		return people[0].Key, nil
	}
	switch len(people) {
	case 0:
		return "", &clips.Error{Code: clips.Invalid, Field: "speaker", Message: fmt.Sprintf(
			"no one on the roster is called %q; add them as a new speaker", v)}
	case 1:
		return people[0].Key, nil
	}
	var keys []string
	for _, p := range people[:min(len(people), 5)] {
		keys = append(keys, p.Key)
	}
	return "", &clips.Error{Code: clips.Invalid, Field: "speaker", Message: fmt.Sprintf(
		"%q names %d people (%s); give the key of one", v, len(people), strings.Join(keys, ", "))}
}
