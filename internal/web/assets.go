package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files, served under names that carry a
// hash of their content ("site.3f2a9c1e.css"). A changed file gets a new
// name, so browsers may keep every version for a year.
type assets struct {
	byName map[string]string // "site.css" → "/static/site.3f2a9c1e.css"
	files  map[string]*rendered
}

func loadAssets() (*assets, error) {
	as := &assets{byName: map[string]string{}, files: map[string]*rendered{}}
	var stylesheets []string
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(p) == ".css" {
			stylesheets = append(stylesheets, p)
			return nil
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		as.add(path.Base(p), data)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	// Stylesheets come last: their url("font.woff2") references are
	// rewritten to the hashed names, so a changed font renames the CSS too.
	for _, p := range stylesheets {
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("static assets: %w", err)
		}
		css := string(data)
		for name, hashed := range as.byName {
			css = strings.ReplaceAll(css, `url("`+name+`")`, `url("`+hashed+`")`)
		}
		as.add(path.Base(p), []byte(css))
	}
	return as, nil
}

func (as *assets) add(name string, data []byte) {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
	ctype := mime.TypeByExtension(ext)
	if ext == ".woff2" { // not in Go's built-in table, and /etc/mime.types may be absent
		ctype = "font/woff2"
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	f := &rendered{ctype: ctype, body: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, cacheControl: immutable}
	f.compress()
	as.byName[name] = "/static/" + hashed
	as.files[hashed] = f
}

// path is the template function "asset": the hashed URL of a static file.
func (as *assets) path(name string) (string, error) {
	if p, ok := as.byName[name]; ok {
		return p, nil
	}
	return "", fmt.Errorf("no static asset %q", name)
}

// serve answers with the named file; false when there is none.
func (as *assets) serve(w http.ResponseWriter, r *http.Request) bool {
	f, ok := as.files[r.PathValue("name")]
	if ok {
		serveRendered(w, r, f)
	}
	return ok
}
