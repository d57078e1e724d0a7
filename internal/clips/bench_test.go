package clips_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// BenchmarkClipSave measures a clip save as the studio makes it: POST
// /api/clips on a fetched article of 40 paragraphs (JSON decoding,
// anchoring, the capture's WARC payload digest read and verified, the
// insert, and the clip read back and encoded). It reports the 95th
// percentile of the saves beside the mean.
func BenchmarkClipSave(b *testing.B) {
	for _, s := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}} {
		b.Run(s.name, func(b *testing.B) {
			d := newDesk(b, s.open(b))
			paras := make([]string, 40)
			for i := range paras {
				paras[i] = fmt.Sprintf("بند %d: سخنگوی وزارت خارجه در نشست خبری گفت «ما به دیپلماسی پایبندیم 🤝 اما زیر بار فشار نمی‌رویم» و افزود که تحریم‌ها باید برداشته شوند.", i)
			}
			d.page("/news/long", 200, "سرمقاله", paras...)
			a := d.fetchArticle(b, "/news/long")
			starts := []int{}
			for i := range paras {
				s, _ := span(b, a.Text, fmt.Sprintf("بند %d:", i))
				starts = append(starts, s)
			}
			times := make([]time.Duration, 0, b.N)
			for i := 0; b.Loop(); i++ {
				start := starts[i%len(starts)]
				body := fmt.Sprintf(`{"article": %d, "start": %d, "end": %d, "speaker": "kazem-gharibabadi", "translation": "We are committed to diplomacy."}`,
					a.ID, start+8, start+60)
				r := httptest.NewRequest("POST", "/api/clips", strings.NewReader(body))
				w := httptest.NewRecorder()
				t0 := time.Now()
				d.api.ServeHTTP(w, r)
				times = append(times, time.Since(t0))
				if w.Code != http.StatusCreated {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
