package posts

import (
	"database/sql"
	"fmt"
	"time"
)

// nullTime scans a timestamp that passed through a UNION or an aggregate:
// SQLite then loses the column's declared type and returns text, which
// sql.NullTime cannot read.
type nullTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTimeLayouts are the forms the store's SQLite connection writes.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	time.RFC3339Nano,
}

func (n *nullTime) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case nil:
		*n = nullTime{}
		return nil
	case time.Time:
		*n = nullTime{Time: x.UTC(), Valid: true}
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		var t sql.NullTime
		if err := t.Scan(v); err != nil {
			return err
		}
		*n = nullTime{Time: t.Time.UTC(), Valid: t.Valid}
		return nil
	}
	for _, l := range sqliteTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			*n = nullTime{Time: t.UTC(), Valid: true}
			return nil
		}
	}
	return fmt.Errorf("cannot read %q as a time", s)
}

// nullInt scans a nullable integer into 0 when NULL.
type nullInt struct{ n int64 }

func (n *nullInt) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	n.n = x.Int64
	return nil
}
