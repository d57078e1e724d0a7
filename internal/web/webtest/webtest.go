// Package webtest holds what the web packages' tests share: finding the
// quality tools, running the Nu Html Checker (vnu-jar) and axe-core over
// pages, and starting headless Chromium with the project's flags. It is a
// normal package so that several test packages can import it, but only
// _test.go files import it; no program does.
//
// The tools are installed once, outside the repository:
//
//	npm install --prefix "$HOME/.cache/pressreview-tools" vnu-jar axe-core
//	apt-get install -y chromium default-jre-headless
//	export PRESSREVIEW_NODE_MODULES="$HOME/.cache/pressreview-tools/node_modules"
//
// Without them the tests skip; with CI set they fail instead, so a green CI
// run means the pages were checked. With PRESSREVIEW_SCREENSHOTS=DIR the
// browser tests also save the docs' pictures (docs/screenshots) there.
package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is where the browser tests expect Chromium, as CI installs it.
const Chromium = "/usr/bin/chromium"

// ToolMissing skips t because a tool is not installed, or fails it when CI
// is set: there a skipped check would pass for a passed one.
func ToolMissing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, so quality tools must run: %s", why)
	}
	t.Skip(why)
}

// NodeModule returns the path of rel, a file of an npm package, in
// PRESSREVIEW_NODE_MODULES, the repository's node_modules or
// ~/.cache/pressreview-tools/node_modules; when it is in none, it calls
// ToolMissing.
func NodeModule(t testing.TB, rel string) string {
	t.Helper()
	p, ok := findNodeModule(rel)
	if !ok {
		ToolMissing(t, rel+" not found; see the doc comment of internal/web/webtest")
	}
	return p
}

func findNodeModule(rel string) (string, bool) {
	dirs := []string{os.Getenv("PRESSREVIEW_NODE_MODULES")}
	if root, ok := moduleRoot(); ok {
		dirs = append(dirs, filepath.Join(root, "node_modules"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".cache/pressreview-tools/node_modules"))
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if p := filepath.Join(d, rel); exists(p) {
			return p, true
		}
	}
	return "", false
}

// moduleRoot is the directory holding go.mod above the test's package
// directory, where go test runs the test.
func moduleRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if exists(filepath.Join(dir, "go.mod")) {
			return dir, true
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", false
		}
		dir = up
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Page is an HTML page to check, with the name its errors are reported
// under (a path, or what was posted to draw it).
type Page struct {
	Name, HTML string
}

// VNU is the Nu Html Checker, found by NewVNU.
type VNU struct {
	java, jar string
}

// NewVNU finds vnu.jar and java, or calls ToolMissing. Call it before
// building the pages, so that a test without the tools skips at once.
func NewVNU(t testing.TB) *VNU {
	t.Helper()
	jar := NodeModule(t, "vnu-jar/build/dist/vnu.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		ToolMissing(t, "java is not installed")
	}
	return &VNU{java: java, jar: jar}
}

// Check runs the checker once over all pages and reports each error as a
// test error: page name, line and message.
func (v *VNU) Check(t testing.TB, pages []Page) {
	t.Helper()
	dir := t.TempDir()
	names := map[string]string{} // file name → page name
	args := []string{"-jar", v.jar, "--format", "json", "--stdout", "--errors-only"}
	for i, p := range pages {
		f := filepath.Join(dir, fmt.Sprintf("page%03d.html", i))
		if err := os.WriteFile(f, []byte(p.HTML), 0o644); err != nil {
			t.Fatal(err)
		}
		names[filepath.Base(f)] = p.Name
		args = append(args, f)
	}
	// vnu exits non-zero when it finds errors; only no output is a failure.
	out, err := exec.Command(v.java, args...).Output()
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
		if m.Type != "error" {
			continue
		}
		name, ok := names[filepath.Base(m.URL)]
		if !ok {
			name = m.URL // a message about no page of ours, such as an I/O error
		}
		t.Errorf("%s line %d: %s", name, m.LastLine, m.Message)
	}
}

// Axe is axe-core's script, found by NewAxe or OptionalAxe.
type Axe struct {
	script string
}

// NewAxe reads axe-core's script, or calls ToolMissing.
func NewAxe(t testing.TB) *Axe {
	t.Helper()
	b, err := os.ReadFile(NodeModule(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	return &Axe{script: string(b)}
}

// OptionalAxe is NewAxe for tests that check more than accessibility: when
// axe-core is missing outside CI it logs so and returns nil, and the test
// goes on without that check.
func OptionalAxe(t testing.TB) *Axe {
	t.Helper()
	if _, ok := findNodeModule("axe-core/axe.min.js"); !ok && os.Getenv("CI") == "" {
		t.Log("axe-core is not installed: the pages' accessibility check is skipped")
		return nil
	}
	return NewAxe(t)
}

// Check runs axe-core on the page open in ctx and reports its violations
// (rule, help and up to five elements of each) as a test error under name.
func (a *Axe) Check(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](a.script+`;
		axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v =>
			({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", name, err)
	}
	if got != "[]" {
		t.Errorf("%s: axe violations: %s", name, got)
	}
}

// CheckURLs opens base+path in the browser for each path in turn and runs
// Check on it, each page bounded by a minute.
func (a *Axe) CheckURLs(t testing.TB, browser context.Context, base string, paths []string) {
	t.Helper()
	for _, p := range paths {
		func() {
			t.Helper()
			ctx, cancel := context.WithTimeout(browser, time.Minute)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			a.Check(t, ctx, p)
		}()
	}
}

// Browser starts headless Chromium for the test, with opts (a window size)
// after the project's flags, and returns its context. The browser is
// already running, so every action on the context, or on a context made
// from it, may carry a timeout: a timeout on the action that starts the
// browser would stop it. Without Chromium it calls ToolMissing.
func Browser(t testing.TB, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if !exists(Chromium) {
		ToolMissing(t, Chromium+" is not installed")
	}
	flags := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
	}, opts...)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), flags...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// Screenshots is the directory PRESSREVIEW_SCREENSHOTS names for the
// docs' pictures, or "" when none are wanted.
func Screenshots() string { return os.Getenv("PRESSREVIEW_SCREENSHOTS") }

// Screenshot saves the whole page open in ctx, its lazy images loaded, as
// name.png in Screenshots(); it does nothing when that is "".
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := Screenshots()
	if dir == "" {
		return
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Promise.all([...document.images].map(i => {
		i.loading = "eager";
		return i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; });
	})).then(a => a.length)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("%s: images: %v", name, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	save(t, dir, name, png, err)
}

// WindowScreenshot saves what the window shows of the page open in ctx,
// scrolled to the top, as name.png in Screenshots(); it does nothing when
// that is "". The composer's pictures are of the window, not the page.
func WindowScreenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := Screenshots()
	if dir == "" {
		return
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`)); err != nil {
		t.Fatalf("%s: scroll: %v", name, err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	save(t, dir, name, png, err)
}

func save(t testing.TB, dir, name string, png []byte, err error) {
	t.Helper()
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		t.Fatalf("%s: screenshot: %v", name, err)
	}
}
