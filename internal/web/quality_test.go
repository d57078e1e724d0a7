package web_test

// Quality checks by real tools: the Nu Html Checker (vnu-jar) and axe-core
// in headless Chromium. Install them once, outside the repository:
//
//	npm install --prefix "$HOME/.cache/pressreview-tools" vnu-jar axe-core
//	apt-get install -y chromium default-jre-headless
//	export PRESSREVIEW_NODE_MODULES="$HOME/.cache/pressreview-tools/node_modules"
//
// Without them the tests skip; with CI set they fail instead, so a green
// CI run means the pages were checked.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web"
)

// checkedPages are the pages the issue names: home, article, edition,
// event, listing and privacy, plus search (empty, with results in English
// and Persian, with none, with a malformed query) and the error page.
var checkedPages = []string{
	"/",
	seedPath,
	"/analysis/irans-strategic-dilemma-capitulation-or-parity",
	"/events/the-week-in-the-iranian-press",
	"/events/us-strike-on-iran-regional-and-diplomatic-fallout",
	"/events",
	"/analysis",
	"/series/iran-media-review",
	"/author/ali-alfoneh",
	"/privacy",
	"/search",
	"/search?q=iran",
	"/search?q=%D9%85%DB%8C%D8%A7%D9%86%D8%AC%DB%8C%DA%AF%D8%B1%DB%8C+OR+%D8%AA%D8%B3%D9%84%DB%8C%D9%85",
	"/search?q=zzyzx+nothing",
	"/search?q=%22unclosed",
	"/no-such-page",
}

func toolMissing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, so quality tools must run: %s", why)
	}
	t.Skip(why)
}

// nodeModule finds an npm package's file.
func nodeModule(t *testing.T, rel string) string {
	t.Helper()
	dirs := []string{os.Getenv("PRESSREVIEW_NODE_MODULES"), "../../node_modules"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".cache/pressreview-tools/node_modules"))
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if p := filepath.Join(d, rel); fileExists(p) {
			return p
		}
	}
	toolMissing(t, rel+" not found; see the comment at the top of quality_test.go")
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// qualityServer serves the demo site on SQLite: the markup does not
// depend on the store, which the other tests cover on both.
func qualityServer(t *testing.T) *httptest.Server {
	db := storetest.SQLite(t)
	loadSite(t, db)
	return newTestServer(t, db, web.Options{})
}

func TestPagesAreValidHTML(t *testing.T) {
	jar := nodeModule(t, "vnu-jar/build/dist/vnu.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		toolMissing(t, "java is not installed")
	}
	ts := qualityServer(t)
	dir := t.TempDir()
	var files []string
	for i, p := range checkedPages {
		_, body := get(t, ts, p)
		f := filepath.Join(dir, fmt.Sprintf("page%02d.html", i))
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command(java, append([]string{"-jar", jar, "--format", "json", "--stdout", "--errors-only"}, files...)...).Output()
	if err != nil && len(out) == 0 {
		t.Fatalf("vnu: %v", err)
	}
	var report struct {
		Messages []struct {
			Type, URL, Message string
			LastLine           int
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, out)
	}
	for _, m := range report.Messages {
		if m.Type == "error" {
			idx := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m.URL), "page"), ".html")
			var i int
			fmt.Sscan(idx, &i)
			t.Errorf("%s line %d: %s", checkedPages[i], m.LastLine, m.Message)
		}
	}
}

func TestPagesHaveNoAxeViolations(t *testing.T) {
	axe, err := os.ReadFile(nodeModule(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		toolMissing(t, "chromium is not installed")
	}
	ts := qualityServer(t)
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true))
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	for _, p := range checkedPages {
		// The first Run starts the browser and must not carry a timeout
		// (it would stop the browser); later ones may.
		ctx, cancel := context.WithTimeout(bctx, 60*time.Second)
		nav := ctx
		if p == checkedPages[0] {
			nav = bctx
		}
		if err := chromedp.Do(nav, chromedp.Navigate(ts.URL+p)); err != nil {
			cancel()
			t.Fatalf("%s: %v", p, err)
		}
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](string(axe)+`;
			axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v =>
				({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))))`,
			chromedp.EvalAwaitPromise))
		cancel()
		if err != nil {
			t.Fatalf("%s: axe: %v", p, err)
		}
		if res != "[]" {
			t.Errorf("%s: axe violations: %s", p, res)
		}
	}
}
