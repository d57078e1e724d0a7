package site

import (
	"net/http"
	"strconv"
	"strings"
)

// ics serves /events/{slug}/event.ics: the event as an iCalendar file
// (RFC 5545) to add to a calendar. Times are in UTC, which every calendar
// shows in its owner's zone; no VTIMEZONE block is needed.
func (s *Site) ics(r *http.Request) (*Response, error) {
	e, err := s.loadEvent(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	const stamp = "20060102T150405Z"
	url := s.URL("/events/" + e.Slug)
	location := e.Place
	if location == "" {
		location = e.OnlineURL
	}
	var b strings.Builder
	line := func(name, value string) { b.WriteString(foldICS(name + ":" + value)) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//pressreview//site//EN")
	line("CALSCALE", "GREGORIAN")
	line("BEGIN", "VEVENT")
	line("UID", e.Slug+"@"+hostOf(s.opts.SiteURL))
	// The file has no METHOD, so RFC 5545 §3.8.7.2 makes DTSTAMP the time
	// the event was last revised in the calendar store, the same as
	// LAST-MODIFIED (§3.8.7.3) — not the time the file was generated,
	// which would also keep it from being cached. SEQUENCE (§3.8.7.4)
	// grows with each change of time or place, so a calendar that holds
	// the event replaces it with the rescheduled one.
	modified := e.UpdatedAt.UTC().Format(stamp)
	line("DTSTAMP", modified)
	line("LAST-MODIFIED", modified)
	line("SEQUENCE", strconv.Itoa(e.Sequence))
	line("DTSTART", e.StartsAt.UTC().Format(stamp))
	line("DTEND", e.EndsAt.UTC().Format(stamp))
	line("SUMMARY", escapeICS(e.Title))
	if e.Summary != "" {
		line("DESCRIPTION", escapeICS(e.Summary+"\n\n"+url))
	}
	if location != "" {
		line("LOCATION", escapeICS(location))
	}
	if e.OnlineURL != "" {
		// The join link of an online or hybrid event (RFC 7986 §5.11):
		// LOCATION holds the place when there is one, and the link was
		// then nowhere in the file.
		line("CONFERENCE;VALUE=URI", e.OnlineURL)
	}
	line("URL", url)
	line("END", "VEVENT")
	line("END", "VCALENDAR")
	return &Response{ContentType: "text/calendar; charset=utf-8", Raw: []byte(b.String()), Filename: e.Slug + ".ics"}, nil
}

// escapeICS escapes a TEXT value.
func escapeICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folding it at 75 octets without
// splitting a UTF-8 character, as RFC 5545 §3.1 requires.
func foldICS(line string) string {
	var b strings.Builder
	n := 0
	for _, r := range line {
		size := len(string(r))
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
	return b.String()
}

func hostOf(siteURL string) string {
	h := strings.TrimPrefix(strings.TrimPrefix(siteURL, "https://"), "http://")
	h, _, _ = strings.Cut(h, "/")
	return h
}
