package clips

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestCSVCellsAreInert: a translation that starts like a formula reaches
// the spreadsheet as text.
func TestCSVCellsAreInert(t *testing.T) {
	var b bytes.Buffer
	rows := []Row{{ID: 1, Translation: `=HYPERLINK("http://evil.example","x")`, Original: "+98", Speaker: "@someone", Intermediary: "-"}}
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range recs[1] {
		if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
			t.Errorf("cell %q starts like a formula", v)
		}
	}
}
