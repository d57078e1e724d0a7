package ingest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/text"
)

// Two report templates, written for this test in the shape outlets fill
// in every day; {slot}s are filled by strings.NewReplacer.
const (
	quakeFa = `زمین‌لرزه‌ای به بزرگی {mag} ریشتر {place} را لرزاند

به گزارش مرکز لرزه‌نگاری کشوری وابسته به مؤسسه ژئوفیزیک دانشگاه تهران، زمین‌لرزه‌ای به بزرگی {mag} در مقیاس امواج درونی بامداد امروز ساعت {time} حوالی {place} در استان {province} را لرزاند. کانون این زمین‌لرزه در عمق {depth} کیلومتری زمین ثبت شده است.

مدیر کل مدیریت بحران استان گفت که تاکنون گزارشی از خسارت جانی یا مالی به این اداره کل نرسیده است و گروه‌های ارزیاب برای بررسی وضعیت روستاهای نزدیک به کانون زمین‌لرزه اعزام شده‌اند. او افزود که تیم‌های امداد و نجات جمعیت هلال احمر در حالت آماده‌باش قرار دارند.

به گفته کارشناسان، این منطقه در گذشته نیز زمین‌لرزه‌های متعددی را تجربه کرده است و وقوع پس‌لرزه‌های کوچک در ساعات و روزهای آینده دور از انتظار نیست. از مردم خواسته شده است آرامش خود را حفظ کنند، از ساختمان‌های آسیب‌دیده فاصله بگیرند و اخبار را تنها از منابع رسمی دنبال کنند.

فرماندار شهرستان نیز در گفت‌وگو با خبرنگاران اعلام کرد که مدارس منطقه امروز طبق برنامه دایر هستند و شبکه‌های آب، برق و گاز بدون مشکل به کار خود ادامه می‌دهند. به گفته او، بازدید از ساختمان‌های دولتی و مراکز درمانی از صبح امروز آغاز شده است.

ایران بر روی کمربند لرزه‌خیز آلپ ـ هیمالیا قرار دارد و هر سال چندین زمین‌لرزه با بزرگی بیش از چهار در نقاط مختلف آن ثبت می‌شود. کارشناسان بارها بر ضرورت مقاوم‌سازی ساختمان‌ها، به‌ویژه در روستاها و بافت‌های فرسوده شهری، تأکید کرده‌اند.

سامانه‌های پایش لرزه‌ای کشور به طور شبانه‌روزی فعالیت زمین را ثبت می‌کنند و گزارش رویدادهای تازه را در پایگاه اینترنتی مرکز لرزه‌نگاری منتشر می‌کنند. شهروندان می‌توانند برای آگاهی از نکات ایمنی پیش، حین و پس از زمین‌لرزه به راهنماهای منتشرشده از سوی سازمان مدیریت بحران کشور مراجعه کنند.`

	weatherEn = `{city} forecast: {sky} with highs of {high}C

Forecasters expect a {sky} day across {city} on {day}, with temperatures reaching {high}C in the afternoon and falling to {low}C overnight, according to the national weather service.

A band of high pressure moving in from the west is expected to keep conditions settled for most of the day, although a few isolated showers cannot be ruled out over higher ground later in the evening. Winds will be light and variable for much of the day before picking up slightly after dark.

The weather service said the settled spell was likely to continue into the weekend, when temperatures could rise a little further. It advised people spending long periods outdoors to use sun protection and to drink plenty of water, particularly children and older people.

Road users were told to allow extra time for journeys in the early morning, when patches of mist and fog may form in sheltered valleys and near rivers. Visibility is expected to improve quickly once the sun rises.

Pollen levels are forecast to be moderate, and air quality is expected to remain good across the region. Farmers were reminded that the dry conditions offered a useful window for harvesting and fieldwork before a change in the weather expected next week.

Looking further ahead, forecasters said there were signs of a more unsettled pattern arriving from the Atlantic by the middle of next week, bringing cloud, stronger winds and more widespread rain to western areas first.

The service publishes updated forecasts every three hours on its website and mobile application, together with any warnings for severe weather.`
)

// TestTemplateStoriesApart: reports filled in from one template are
// within simhash's near-duplicate distance of each other, yet each is a
// story of its own; an agency's reprint of one, with its credit added and
// a sentence cut, joins that one's story.
func TestTemplateStoriesApart(t *testing.T) {
	fill := func(tmpl string, kv ...string) string { return strings.NewReplacer(kv...).Replace(tmpl) }
	kerman := fill(quakeFa, "{mag}", "۴٫۶", "{place}", "راور", "{province}", "کرمان", "{time}", "۰۳:۱۴", "{depth}", "۱۰")
	hormozgan := fill(quakeFa, "{mag}", "۴٫۱", "{place}", "بندر خمیر", "{province}", "هرمزگان", "{time}", "۱۷:۴۰", "{depth}", "۸")
	kermanReprint := agencyCredit + "\n\n" + strings.Replace(kerman,
		" به گفته او، بازدید از ساختمان‌های دولتی و مراکز درمانی از صبح امروز آغاز شده است.", "", 1)
	london := fill(weatherEn, "{city}", "London", "{sky}", "sunny", "{high}", "24", "{low}", "14", "{day}", "Monday")
	manchester := fill(weatherEn, "{city}", "Manchester", "{sky}", "cloudy", "{high}", "19", "{low}", "11", "{day}", "Monday")
	londonReprint := "LONDON (Wire) - " + strings.Replace(london,
		" Visibility is expected to improve quickly once the sun rises.", "", 1)

	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, err := New(db, testConfig(t, newPress(t)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Close() })
		for _, o := range []outlets.Outlet{
			{Key: "daily", Name: "Daily Test", Kind: outlets.Newspaper},
			{Key: "agency", Name: "Azmoon News Agency", Kind: outlets.NewsAgency},
		} {
			if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
				t.Fatal(err)
			}
		}
		day := time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)
		paste := func(outlet, body string, at time.Duration) Article {
			t.Helper()
			a, created, err := svc.AddPasted(ctx, Paste{OutletKey: outlet, Date: day.Add(at), Source: "test", Body: []byte(body)})
			if err != nil || !created {
				t.Fatalf("paste %.40q: created %v, %v", body, created, err)
			}
			return a
		}
		for _, c := range []struct {
			name                 string
			first, other, reprnt string
		}{
			{"fa earthquake", kerman, hormozgan, kermanReprint},
			{"en weather", london, manchester, londonReprint},
		} {
			if d := text.Hamming(text.Simhash(c.first), text.Simhash(c.other)); d > text.NearDuplicateDistance {
				t.Fatalf("%s: the two reports are %d bits apart; simhash alone would tell them apart", c.name, d)
			}
			first := paste("daily", c.first, 0)
			other := paste("daily", c.other, 24*time.Hour)
			reprint := paste("agency", c.reprnt, time.Hour)
			if other.StoryID != other.ID {
				t.Errorf("%s: a report from the same template was grouped into story %d", c.name, other.StoryID)
			}
			if reprint.StoryID != first.ID {
				t.Errorf("%s: the reprint is in story %d, want %d", c.name, reprint.StoryID, first.ID)
			}
			if story, err := Story(ctx, db, first.ID); err != nil || len(story) != 2 {
				t.Errorf("%s: story of the first report has %d articles (%v), want 2", c.name, len(story), err)
			}
			// The rows themselves, as inserted in one write each: a story of
			// its own is story_id = id (migration 00031), never NULL.
			for _, a := range []Article{first, other, reprint} {
				var story *int64
				if err := db.QueryRowContext(ctx, `SELECT story_id FROM articles WHERE id = ?`, a.ID).Scan(&story); err != nil {
					t.Fatal(err)
				}
				if story == nil || *story != a.StoryID {
					t.Errorf("%s: article %d has story_id %v in its row, want %d", c.name, a.ID, story, a.StoryID)
				}
			}
		}
	})
}

// TestKeysFromDetection checks that an article's dedup keys and index
// terms are the same whether they are made from the matching form that
// language detection computed (detectAnalyzed) or from the text afresh,
// and that a form computed for another text is not used.
func TestKeysFromDetection(t *testing.T) {
	quake := strings.NewReplacer("{mag}", "۴٫۲", "{place}", "خوی", "{time}", "۳:۱۲", "{province}", "آذربایجان غربی", "{depth}", "۱۰").Replace(quakeFa)
	weather := strings.NewReplacer("{city}", "Leeds", "{sky}", "sunny", "{high}", "24", "{low}", "12", "{day}", "Monday").Replace(weatherEn)
	short := "وزیر امور خارجه امروز با همتای خود در تهران دیدار کرد و درباره همکاری‌های دوجانبه گفت‌وگو کرد."
	for _, body := range []string{quake, weather, short} {
		fresh := &Article{Text: body}
		fresh.dedupKeys()
		lang, form := detectAnalyzed(body, "")
		if lang == "" || form == nil {
			t.Fatalf("%.30q: detection gave %q and no form", body, lang)
		}
		shared := &Article{Text: body, analyzed: form.(*textForm)}
		shared.dedupKeys()
		if fresh.ContentHash != shared.ContentHash || fresh.Simhash != shared.Simhash || fresh.fingerprinted != shared.fingerprinted ||
			!slices.Equal(fresh.indexTerms(), shared.indexTerms()) || !slices.Equal(fresh.shortKeys, shared.shortKeys) ||
			!slices.Equal(fresh.story.tokens, shared.story.tokens) || len(fresh.story.shingles) != len(shared.story.shingles) {
			t.Errorf("%.30q: keys from detection's form differ from the text's own", body)
		}
	}
	_, form := detectAnalyzed(weather, "")
	other := &Article{Text: quake, analyzed: form.(*textForm)}
	other.dedupKeys()
	fresh := &Article{Text: quake}
	fresh.dedupKeys()
	if other.ContentHash != fresh.ContentHash || !slices.Equal(other.indexTerms(), fresh.indexTerms()) {
		t.Error("the form of another text was used")
	}
}
