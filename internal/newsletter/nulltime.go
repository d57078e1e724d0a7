package newsletter

import (
	"fmt"
	"time"
)

// nullTime scans a nullable timestamp that may arrive as text: SQLite
// gives aggregates such as MIN(lease_until) no declared type, so the
// driver cannot turn them into time.Time itself.
type nullTime struct {
	Time  time.Time
	Valid bool
}

var sqliteTimeFormats = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano}

func (n *nullTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n = nullTime{}
		return nil
	case time.Time:
		*n = nullTime{Time: x, Valid: true}
		return nil
	case []byte:
		return n.Scan(string(x))
	case string:
		for _, f := range sqliteTimeFormats {
			if t, err := time.Parse(f, x); err == nil {
				*n = nullTime{Time: t, Valid: true}
				return nil
			}
		}
		return fmt.Errorf("timestamp %q: unknown format", x)
	}
	return fmt.Errorf("timestamp: cannot scan %T", v)
}
