package web

import (
	"bytes"
	"net/http"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// minGzipSize is below what gzip's framing makes worth it.
const minGzipSize = 512

var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// gzipBytes compresses a cached page once, at the best ratio: the cost is
// paid once per publish, not per request.
func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// brotliLevel balances size against the work a publish causes: every
// cached page is compressed again on its first request after one. On the
// demo's home and article pages (8 and 13 kB) level 5 takes 0.3–0.5 ms and
// is 9–12% smaller than gzip's best; level 11 is another 13–16% smaller
// but takes 25–50 ms a page, a minute or more of CPU per publish on a
// site of a few thousand pages.
const brotliLevel = 5

// brotliBytes compresses a cached page once.
func brotliBytes(b []byte) []byte {
	var out bytes.Buffer
	w := brotli.NewWriterLevel(&out, brotliLevel)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// accepts reports whether the client takes the content coding ("gzip",
// "br") and has not refused it with q=0.
func accepts(r *http.Request, want string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(coding) != want {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// compressible says which content types gain from gzip; images do not.
func compressible(ctype string) bool {
	ct, _, _ := strings.Cut(ctype, ";")
	switch {
	case strings.HasPrefix(ct, "text/"), strings.HasSuffix(ct, "+xml"), strings.HasSuffix(ct, "+json"),
		ct == "application/json", ct == "application/xml", ct == "application/javascript", ct == "image/svg+xml":
		return true
	}
	return false
}

// gzipResponses compresses responses of handlers that do not compress
// themselves (mounted handlers, error pages) with fast gzip: they are made
// per request, where brotli's good levels cost more than they save.
// Cached pages arrive with Content-Encoding already set and pass through
// untouched.
func gzipResponses(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !accepts(r, "gzip") {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, head: r.Method == http.MethodHead}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

type gzipWriter struct {
	http.ResponseWriter
	head        bool
	wroteHeader bool
	gz          *gzip.Writer // nil: passing through
}

func (w *gzipWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if !w.head && code != http.StatusNoContent && code != http.StatusNotModified && code >= 200 &&
		h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		w.gz = gzipPool.Get().(*gzip.Writer)
		w.gz.Reset(w.ResponseWriter)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends what is compressed so far, for streaming handlers.
func (w *gzipWriter) Flush() {
	if w.gz != nil {
		w.gz.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) close() {
	if w.gz != nil {
		w.gz.Close()
		gzipPool.Put(w.gz)
		w.gz = nil
	}
}
