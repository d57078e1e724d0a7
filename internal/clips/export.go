package clips

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Row is a clip as exported, flat, for spreadsheets and scripts.
type Row struct {
	ID                 int64    `json:"id"`
	Date               string   `json:"date"`
	Outlet             string   `json:"outlet"`
	OutletName         string   `json:"outlet_name"`
	Camp               string   `json:"camp"`
	Speaker            string   `json:"speaker"`
	SpeakerName        string   `json:"speaker_name"`
	Role               string   `json:"role"`
	Original           string   `json:"original"`
	OriginalLang       string   `json:"original_lang"`
	Translation        string   `json:"translation"`
	TranslationMachine bool     `json:"translation_machine"`
	Intermediary       string   `json:"intermediary"`
	SourceURL          string   `json:"source_url"`
	ArchiveURL         string   `json:"archive_url"`
	Status             string   `json:"status"`
	Editions           []string `json:"editions"`
}

// Rows flattens clips for export; archive links are made absolute with
// siteURL (no trailing slash) when it is set.
func Rows(cs []Clip, siteURL string) []Row {
	out := make([]Row, len(cs))
	for i, c := range cs {
		archive := c.Archive
		if archive != "" {
			archive = siteURL + archive
		}
		out[i] = Row{
			ID: c.ID, Date: c.Date, Outlet: c.Outlet.Key, OutletName: c.Outlet.Name, Camp: c.Outlet.Orientation,
			Speaker: c.Speaker.Key, SpeakerName: c.Speaker.Name, Role: c.Speaker.Role,
			Original: c.Original, OriginalLang: c.OriginalLang, Translation: c.Translation,
			TranslationMachine: c.TranslationMachine, Intermediary: c.Intermediary, SourceURL: c.SourceURL,
			ArchiveURL: archive, Status: c.Status, Editions: c.Editions,
		}
	}
	return out
}

// csvHeader names the columns of WriteCSV, in the order of Row.
var csvHeader = []string{"id", "date", "outlet", "outlet_name", "camp", "speaker", "speaker_name", "role",
	"original", "original_lang", "translation", "translation_machine", "intermediary", "source_url",
	"archive_url", "status", "editions"}

// WriteCSV writes rows as RFC 4180 CSV in UTF-8 with a header line;
// editions are separated by spaces.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{strconv.FormatInt(r.ID, 10), r.Date, r.Outlet, r.OutletName, r.Camp, r.Speaker, r.SpeakerName,
			r.Role, r.Original, r.OriginalLang, r.Translation, strconv.FormatBool(r.TranslationMachine), r.Intermediary,
			r.SourceURL, r.ArchiveURL, r.Status, strings.Join(r.Editions, " ")}
		for i, v := range rec {
			rec[i] = inert(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// inert keeps a spreadsheet from running a cell as a formula: a quote or
// translation that starts with = + - @ (or a tab or carriage return, which
// some spreadsheets skip before reading one) gets a leading apostrophe, as
// OWASP's CSV-injection guidance recommends. Analysts open these exports in
// spreadsheets, and the text comes from outlets nobody vets.
func inert(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
