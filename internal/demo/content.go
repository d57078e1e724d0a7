package demo

import (
	"image/color"
	"time"

	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/posts"
)

// demoNote ends every analysis and event of the demo: they were written
// for it, about no real research and no real meeting.
const demoNote = "*Written for the pressreview demo: the analyst, the figures and the events are illustrative, not real research or coverage.*"

// content is the demo's own publishing beside the seed edition: an
// analyst, topics, three analyses with captioned charts, and events past
// and upcoming, dated around now so the site looks alive whenever the
// demo is first started.
func content(now time.Time) *exchange.Bundle {
	day := 24 * time.Hour
	at := func(d time.Duration) *time.Time {
		t := now.Add(d).UTC().Truncate(time.Hour)
		return &t
	}
	// Events start at 10:00 in Washington on a day counted from today.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.UTC
	}
	eventAt := func(days int, hour int) time.Time {
		d := now.In(ny).AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, ny)
	}
	published := at(-60 * day)
	b := &exchange.Bundle{
		Format: exchange.Format,
		Authors: []posts.Author{{
			Key: "leila-navabi", Name: "Leila Navabi", Title: "Media Analyst", Organisation: "pressreview demo desk",
			Bio: "A fictional analyst: her analyses were written to show what the desk publishes.",
		}},
		Tags: []posts.Tag{
			{Key: "iranian-media", Name: "Iranian media"},
			{Key: "diplomacy", Name: "Diplomacy"},
			{Key: "water", Name: "Water and environment"},
			{Key: "press-monitoring", Name: "Press monitoring"},
		},
		EditionTags: []posts.EditionTags{{Edition: SeedSlug, Tags: []string{"iranian-media", "diplomacy"}}},
		Images: []posts.Image{
			{Key: "camps-mediation", Data: barChart("Who wrote about mediation", "Articles on offers of mediation in one month, by the camp of the outlet",
				[]string{"reformist", "centrist", "state", "conservative", "hard-line", "IRGC-affiliated"}, []int{7, 3, 9, 5, 11, 6}),
				Alt:     "Bar chart of articles on mediation by camp: hard-line outlets wrote the most (11), then state (9) and reformist (7) outlets.",
				Caption: "Articles on offers of mediation in one month, by the camp of the outlet.", Credit: "(Chart: pressreview demo, illustrative figures)"},
			{Key: "tehran-reservoirs", Data: lineChart("Tehran's reservoirs, percent full", "Five main dams, end of month",
				[]string{"Oct", "Nov", "Dec", "Jan", "Feb", "Mar"}, []float64{38, 33, 30, 28, 26, 24}),
				Alt:     "Line chart: the reservoirs fall from 38 percent full in October to 24 percent in March.",
				Caption: "How full the dams that supply Tehran were at the end of each month.", Credit: "(Chart: pressreview demo, illustrative figures)"},
			{Key: "press-spectrum", Data: spectrum("The camps of Iran's press", "How the desk labels the outlets it follows",
				[]string{"Reformist", "Centrist", "State", "Conservative", "Hard-line"},
				[][]string{{"Etemad", "Shargh", "Ham-Mihan"}, {"Entekhab", "Hamshahri"}, {"IRNA", "Al-Alam"}, {"Khorasan", "Tehran Times"}, {"Kayhan", "Vatan-e Emrooz", "Javan"}}),
				Alt:     "Diagram of five bands from reformist to hard-line, with outlets such as Etemad, IRNA, Khorasan and Kayhan placed in their camps.",
				Caption: "The labels the desk gives outlets, from reformist to hard-line.", Credit: "(Diagram: pressreview demo)"},
			{Key: "event-workshop", Data: titleCard("WORKSHOP", []string{"Monitoring the", "Iranian Press"}, "A hands-on session with the desk's tools", navy),
				Alt: "Title card reading Workshop: Monitoring the Iranian Press.", Caption: "The workshop uses the desk's own archive.", Credit: "(pressreview demo)"},
			{Key: "event-water", Data: titleCard("PANEL", []string{"Water, Energy and", "Public Opinion"}, "How Iran's press covers scarcity", accent),
				Alt: "Title card reading Panel: Water, Energy and Public Opinion.", Caption: "A panel on how scarcity is reported.", Credit: "(pressreview demo)"},
			{Key: "event-briefing", Data: titleCard("BRIEFING", []string{"Reading Tehran's", "Front Pages"}, "What the camps said this month", color.RGBA{0x3b, 0x5a, 0x4a, 0xff}),
				Alt: "Title card reading Briefing: Reading Tehran's Front Pages.", Caption: "The briefing went through a week of front pages.", Credit: "(pressreview demo)"},
		},
		Analyses: []posts.Analysis{
			{Slug: "mediation-offer-splits-tehran-press", Title: "Mediation Offer Splits Tehran’s Press Along Familiar Lines",
				Dek:    "Hard-line dailies ask who would guarantee a deal; reformist papers call mistrust a reason to negotiate with care. The state agency keeps to the foreign ministry’s cautious line.",
				Image:  "camps-mediation",
				Tags:   []string{"iranian-media", "diplomacy"},
				Status: "published", PublishAt: at(-2 * day), Authors: []string{"leila-navabi"},
				Body: "The offers of mediation between Tehran and Washington have given Iran’s press a familiar subject, and its camps answered in familiar voices.\n\n" +
					"## Guarantees, not go-betweens\n\n" +
					"Hard-line Kayhan framed the question as one of guarantees: a mediator, its editorial argued, cannot make a party keep a promise it has broken before. " +
					"The argument echoes the paper’s line in the [March 7 edition of the Iran Media Review](/analysis/" + SeedSlug + ").\n\n" +
					"## Mistrust as a reason for care\n\n" +
					"The reformist Etemad answered without naming its rival: mistrust, its editorial said, is a reason to negotiate carefully, with clear guarantees, not a reason to refuse. " +
					"IRNA, the state news agency, reported the foreign ministry’s words that the offers are being studied, and added no comment.\n\n" +
					"## What the chart shows\n\n" +
					"Over the month the hard-line outlets wrote the most about mediation, and the state outlets the most neutrally. " +
					"English-language Tehran Times summed the debate up for foreign readers in its daily press review.\n\n" + demoNote},
			{Slug: "drought-moves-to-the-front-pages", Title: "Drought Moves From the Back Pages to the Front",
				Dek:    "An agency report on Tehran’s reservoirs was reprinted across camps, a sign that water has become a subject no paper can leave out.",
				Image:  "tehran-reservoirs",
				Tags:   []string{"water", "iranian-media"},
				Status: "published", PublishAt: at(-1 * day), Authors: []string{"leila-navabi"},
				Body: "When IRNA reported that the dams supplying Tehran were at their lowest level in a decade, hard-line Kayhan and the Mashhad daily Khorasan ran the report almost word for word. " +
					"The desk groups such reprints into one story, so the analyst reads the agency text once and sees who carried it.\n\n" +
					"## One story, several readings\n\n" +
					"Arabic-language Al-Alam wrote its own account for a regional audience, stressing the ageing distribution network. " +
					"The reformist press turned to the cost of living instead, with reportage on households buying less food.\n\n" +
					"## Why it matters\n\n" +
					"Water is one of the few subjects on which papers of every camp now agree that there is a problem; they still disagree on who is to blame.\n\n" + demoNote},
			{Slug: "field-guide-to-press-labels", Title: "A Field Guide to the Labels of Iran’s Press",
				Dek:    "Hard-line, reformist, IRGC-affiliated, technocratic: what the desk’s labels mean, and why every entry of the review names the camp of its outlet.",
				Image:  "press-spectrum",
				Tags:   []string{"iranian-media", "press-monitoring"},
				Status: "published", PublishAt: at(-9 * day), Authors: []string{"leila-navabi"},
				Body: "Every entry of the Iran Media Review opens with the outlet and its camp: *hard-line Kayhan*, *the reformist newspaper Etemad*. " +
					"The label tells the reader how to weigh the quote that follows.\n\n" +
					"## The camps\n\n" +
					"- **Reformist** papers argue for engagement and social openness.\n" +
					"- **Centrist** and **technocratic** outlets speak for managers and the business community.\n" +
					"- **State** media, such as the news agency IRNA, carry the government’s line.\n" +
					"- **Conservative** and **hard-line** papers guard the revolution’s principles; **IRGC-affiliated** outlets are close to the Revolutionary Guards.\n\n" +
					"## Labels change\n\n" +
					"An outlet’s stance moves with its owners and editors, so the desk keeps labels in its roster and reviews them.\n\n" + demoNote},
		},
		Events: []posts.Event{
			{Slug: "monitoring-the-iranian-press-workshop", Title: "Monitoring the Iranian Press: A Hands-On Workshop",
				Summary:  "Analysts follow Persian, Arabic and English outlets through the desk’s archive, from a feed item to a quote in the review.",
				Body:     "Bring a laptop: we search the archive together, follow a reprinted agency story and clip quotes for a review entry.\n\n" + demoNote,
				StartsAt: eventAt(6, 10), EndsAt: eventAt(6, 12), TimeZone: "America/New_York", Place: "Conference room, 1050 Demo Street NW, Washington, DC",
				Capacity: 25, Image: "event-workshop", Status: "published", PublishAt: published,
				Speakers: []posts.Speaker{{Name: "Leila Navabi", Role: "Media Analyst", Author: "leila-navabi"}}},
			{Slug: "water-energy-public-opinion", Title: "Water, Energy and Public Opinion in Iran",
				Summary:  "How Iran’s press of every camp reports scarcity, and what it leaves out.",
				Body:     "A panel discussion, online, with time for questions.\n\n" + demoNote,
				StartsAt: eventAt(20, 11), EndsAt: eventAt(20, 12), TimeZone: "America/New_York", OnlineURL: "https://events.example.org/pressreview-demo",
				Image: "event-water", Status: "published", PublishAt: published,
				Speakers: []posts.Speaker{{Name: "Leila Navabi", Role: "Media Analyst", Author: "leila-navabi"}, {Name: "Omid Farahani", Role: "Water policy researcher (fictional)"}}},
			{Slug: "reading-tehrans-front-pages", Title: "Reading Tehran’s Front Pages: A Briefing",
				Summary:  "What the hard-line, reformist and state press said about offers of mediation.",
				Body:     "The briefing walked through a week of front pages, camp by camp.\n\n" + demoNote,
				StartsAt: eventAt(-12, 10), EndsAt: eventAt(-12, 11), TimeZone: "America/New_York", OnlineURL: "https://events.example.org/pressreview-demo-briefing",
				Image: "event-briefing", Status: "published", PublishAt: published,
				Speakers: []posts.Speaker{{Name: "Leila Navabi", Role: "Media Analyst", Author: "leila-navabi"}}},
			{Slug: "persian-media-roundtable", Title: "Persian-Language Media After the Elections: A Roundtable",
				Summary:  "Editors and analysts on how the campaign changed the Persian-language press.",
				Body:     "A roundtable in Washington.\n\n" + demoNote,
				StartsAt: eventAt(-40, 14), EndsAt: eventAt(-40, 16), TimeZone: "America/New_York", Place: "1050 Demo Street NW, Washington, DC",
				Status: "published", PublishAt: published,
				Speakers: []posts.Speaker{{Name: "Leila Navabi", Role: "Media Analyst", Author: "leila-navabi"}, {Name: "Sina Rostami", Role: "Editor (fictional)"}}},
		},
	}
	return b
}
