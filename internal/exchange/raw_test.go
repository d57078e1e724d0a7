package exchange_test

import (
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/exchange"
)

// TestDecodeRefusesWhatJSONLetsThrough covers issue 11 item 28: bytes that
// are not UTF-8, a key given twice and an event title with a line break
// were accepted; each is refused with its JSON path.
func TestDecodeRefusesWhatJSONLetsThrough(t *testing.T) {
	const event = `"events": [{"slug": "briefing", "title": "Press briefing", "starts_at": "2025-04-01T15:00:00Z",
    "ends_at": "2025-04-01T16:00:00Z", "time_zone": "Asia/Tehran", "status": "draft"}],
  "editions": [`
	withEvent := strings.Replace(good, `"editions": [`, event, 1)
	tests := []struct {
		name, src string
		want      []string
	}{
		{"invalid UTF-8", strings.Replace(good, `"title": "A Test"`, "\"title\": \"A \xff Test\"", 1),
			[]string{"in.json:18:", "$.editions[0].title: is not valid UTF-8 (byte 0xff)"}},
		{"invalid UTF-8 in a key", strings.Replace(good, `"slug": "test-edition"`, "\"sl\xc3g\": \"test-edition\"", 1),
			[]string{"$.editions[0].sl\uFFFDg: is not valid UTF-8 (byte 0xc3)"}},
		{"Windows-1256 text", strings.Replace(good, `"native_name": "کیهان"`, "\"native_name\": \"\xdf\xed\xe5\xc7\xe4\"", 1),
			[]string{"$.outlets[0].native_name: is not valid UTF-8"}},
		{"unpaired surrogate escape", strings.Replace(good, `"text": "Words."`, `"text": "Words \ud800."`, 1),
			[]string{"$.editions[0].entries[0].items[0].parts[0].text: holds a \\u escape of an unpaired surrogate"}},
		{"duplicate key", strings.Replace(good, `"orientation": "hard-line"`, `"orientation": "hard-line", "orientation": "reformist"`, 1),
			[]string{"in.json:4:", `$.outlets[0].orientation: the key "orientation" appears twice in this object`}},
		{"duplicate top-level key", strings.Replace(good, `"format": "pressreview/1",`, `"format": "pressreview/1", "format": "pressreview/1",`, 1),
			[]string{`$.format: the key "format" appears twice`}},
		{"event title with a line break", strings.Replace(withEvent, `"title": "Press briefing"`, `"title": "Press\nbriefing"`, 1),
			[]string{"$.events[0].title: must be one line: it holds U+000A"}},
		{"edition title with a carriage return", strings.Replace(good, `"title": "A Test"`, `"title": "A\r Test"`, 1),
			[]string{"$.editions[0].title: must be one line"}},
		{"outlet name of ZWNJs", strings.Replace(good, `"name": "Kayhan"`, `"name": "\u200c\u200c"`, 1),
			[]string{"$.outlets[0].name: is required (it holds only white space or invisible characters)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.src == good || tt.src == withEvent {
				t.Fatal("test case did not change the bundle")
			}
			if tt.want == nil {
				tt.want = []string{"is not valid UTF-8"}
			}
			_, err := exchange.Decode("in.json", []byte(tt.src))
			if err == nil {
				t.Fatal("Decode accepted the bundle")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	// The same keys in different objects, a literal U+FFFD and an escaped
	// one, and a valid surrogate pair are all fine.
	ok := strings.Replace(withEvent, `"text": "Words."`, `"text": "Words � \ufffd \ud83d\ude00."`, 1)
	if _, err := exchange.Decode("in.json", []byte(ok)); err != nil {
		t.Fatal(err)
	}
}
