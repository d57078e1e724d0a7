package studio_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web/webtest"
)

// workPages fills a desk so that every working screen has something on
// it — a clip, an edition of two entries, published, with versions and a
// campaign draft — and returns the pages to check (GET as the editor) and
// those that only a post draws (the conflict view, a refused clip, a
// merge), with their bodies.
func workPages(t *testing.T) (d *workDesk, get []string, posted map[string]string) {
	t.Helper()
	d = newWorkDesk(t, storetest.SQLite(t))
	d.storyAndRevision(t)
	ana := d.signIn(analystEmail)
	ed := d.signIn(editorEmail)
	article := fmt.Sprintf("/studio/articles/%d", d.article.ID)
	id := d.clipOf(t, ana, url.Values{"passage": {deskPassage}, "translation": {"We accept no Russian mediation."},
		"new_name": {"Ali Bagheri"}, "new_native": {"علی باقری"}, "new_role": {"Iran’s deputy foreign minister"}})
	slug := newEdition(t, ana, "Responses to the talks")
	path := "/studio/editions/" + slug
	resp, body := ana.do("POST", "/studio/clips/entry", url.Values{"clip": {fmt.Sprint(id)}, "edition": {slug}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := ana.do("GET", path, nil)
	f := composerForm(t, page)
	f.Set("op", "add-entry")
	_, page = ana.do("POST", path, f)
	f = composerForm(t, page)
	f.Set("e"+f["entry"][1]+".lead_in", "Shargh was silent.")
	f.Del("op")
	resp, body = ana.do("POST", path, f)
	wantStatus(t, resp, http.StatusSeeOther, body)
	for _, a := range []string{"submit", "approve", "publish"} {
		resp, body := ed.do("POST", path+"/do/"+a, url.Values{"confirm": {"yes"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
	}
	resp, body = ed.do("POST", path+"/newsletter", url.Values{"list": {"imr"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	campaign := resp.Header.Get("Location")

	get = []string{article, article + "?clipped=1", "/studio/clips", "/studio/clips?status=changed", "/studio/editions/new",
		path, path + "/confirm/publish", path + "/confirm/schedule", path + "/confirm/unpublish", path + "/versions",
		path + "/diff?from=1&to=3", path + "/newsletter", campaign}

	posted = map[string]string{}
	_, posted["refused clip"] = ana.do("POST", article+"/clips", url.Values{"passage": {"nowhere"}, "translation": {"x"}, "speaker": {"x"}})
	_, page = ana.do("GET", path, nil)
	stale := composerForm(t, page)
	_, page = ed.do("GET", path, nil)
	g := composerForm(t, page)
	g.Set("dek", "Edited meanwhile")
	ed.do("POST", path, g)
	stale.Set("intro", "Mine")
	_, posted["conflict"] = ana.do("POST", path, stale)
	mine := regexp.MustCompile(`name="mine" value="([^"]*)"`).FindStringSubmatch(posted["conflict"])
	if mine == nil {
		t.Fatal("the conflict view has no mine field")
	}
	_, posted["merge by hand"] = ana.do("POST", path+"/merge", url.Values{"mine": {htmlUnescape(mine[1])}, "version": {"5"}, "choice": {"hand"}})
	stale.Set("e"+stale["entry"][0]+".date", "1403-12-14")
	_, posted["composer with an error"] = ana.do("POST", path, stale)
	return d, get, posted
}

// TestWorkPagesAreValidHTML runs the Nu Html Checker on every working
// screen.
func TestWorkPagesAreValidHTML(t *testing.T) {
	vnu := webtest.NewVNU(t)
	d, get, posted := workPages(t)
	ed := d.signIn(editorEmail)
	var pages []webtest.Page
	for _, p := range get {
		resp, body := ed.do("GET", p, nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", p, resp.Status)
		}
		pages = append(pages, webtest.Page{Name: p, HTML: body})
	}
	for name, body := range posted {
		pages = append(pages, webtest.Page{Name: name, HTML: body})
	}
	vnu.Check(t, pages)
}

// TestWorkPagesHaveNoAxeViolations runs axe-core in Chromium on every
// working screen, signed in as the editor, and on the conflict view that
// a stale save of the composer's form draws.
func TestWorkPagesHaveNoAxeViolations(t *testing.T) {
	axe := webtest.NewAxe(t)
	ctx := chrome(t)
	d, get, _ := workPages(t)
	ed := d.person(t, ctx, editorEmail)
	check := func(name string) {
		t.Helper()
		sctx, cancel := ed.step()
		defer cancel()
		axe.Check(t, sctx, name)
	}
	for _, p := range get {
		ed.open(p)
		check(p)
	}
	// A stale save: the composer's form posted on an old version.
	composer := get[5]
	ed.open(composer)
	ed.eval(`document.querySelector("#composer input[name=version]").value = "1"; "ok"`)
	func() {
		sctx, cancel := ed.step()
		defer cancel()
		if _, err := chromedp.RunResponse(sctx, chromedp.Evaluate[chromedp.Void](`HTMLFormElement.prototype.submit.call(document.getElementById("composer"))`)); err != nil {
			t.Fatal(err)
		}
	}()
	ed.heading("Someone else saved")
	check("conflict view")
}
