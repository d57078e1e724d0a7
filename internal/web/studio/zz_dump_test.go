package studio_test

import (
	"net/http"
	"os"
	"testing"

	"github.com/pressreview/pressreview/internal/store/storetest"
)

func TestZZDump(t *testing.T) {
	d := postsDesk(t)
	_, body := d.as(t, "eddie").do(http.MethodGet, os.Getenv("P"), nil)
	os.WriteFile("/tmp/s/dump.html", []byte(body), 0o644)
	_ = storetest.SQLite
}
