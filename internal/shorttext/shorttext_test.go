package shorttext

import (
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/sharedtest"
	"github.com/pressreview/pressreview/internal/text"
)

const statement = "سخنگوی وزارت امور خارجه امروز در نشست خبری هفتگی گفت هیئت ایرانی با دستور کار روشن و اختیارات کامل در گفتگوهای هفته آینده ژنو حاضر خواهد شد و هیچ پیش شرطی را نمی‌پذیرد"

func shingles(s string) map[uint64]struct{} { return Shingles(text.Normalize(s)) }

func sharesKey(a, b []int64) bool {
	for i := range a {
		if a[i] == b[i] {
			return true
		}
	}
	return false
}

// TestRepostsResemble checks the edits reposts make keep a post above the
// threshold and in a shared band, and that another statement on the same
// subject stays below it.
func TestRepostsResemble(t *testing.T) {
	orig := shingles(statement)
	for name, repost := range map[string]string{
		"forward, signed":       statement + "\n\n🆔 @khabarfori",
		"flagged":               "🔴 فوری | " + statement,
		"Arabic keyboard":       strings.NewReplacer("ی", "ي", "ک", "ك").Replace(statement),
		"one word changed":      strings.Replace(statement, "امروز", "صبح امروز", 1),
		"tail cut, hashtag":     statement[:strings.LastIndex(statement, " و ")] + "\n#ژنو",
		"punctuation and emoji": "📌" + strings.ReplaceAll(statement, " گفت ", "، گفت: ") + "!!",
	} {
		r := shingles(repost)
		if got := Resemblance(orig, r); got < Threshold {
			t.Errorf("%s: resemblance %.2f, under %.2f", name, got, Threshold)
		}
		if !sharesKey(Keys(orig), Keys(r)) {
			t.Errorf("%s: no band key shared", name)
		}
	}
	other := shingles("سخنگوی وزارت امور خارجه امروز در نشست خبری هفتگی درباره سفر وزیر به مسکو گفت این سفر برای پیگیری توافق‌های اقتصادی دو کشور انجام می‌شود")
	if got := Resemblance(orig, other); got >= Threshold {
		t.Errorf("another statement of the same spokesman: resemblance %.2f", got)
	}
	if Keys(map[uint64]struct{}{}) != nil || Resemblance(orig, nil) != 0 {
		t.Error("empty set fingerprinted")
	}
	if k1, k2 := Keys(orig), Keys(shingles(statement)); len(k1) != Bands || !sharesKey(k1, k2) || k1[3] != k2[3] {
		t.Error("keys not deterministic")
	}
}

// corpusPosts cuts the Persian news corpus of the shared test data into
// short posts, as channels post them: the title, the lead, and each
// paragraph, long paragraphs in windows of 40 words; each 8 to 79 words,
// distinct in matching form.
func corpusPosts(t *testing.T) []string {
	t.Helper()
	arts := sharedtest.TargomanArticles(t)
	var posts []string
	seen := map[string]bool{}
	add := func(s string) {
		w := strings.Fields(s)
		if len(w) < MinWords || len(w) >= 80 || seen[text.Normalize(s)] {
			return
		}
		seen[text.Normalize(s)] = true
		posts = append(posts, s)
	}
	for _, a := range arts {
		add(a.Title)
		add(a.Subtitle)
		for _, c := range a.Content {
			w := strings.Fields(c.Text)
			if c.Type != "p" {
				continue
			}
			for i := 0; i < len(w); i += 40 {
				add(strings.Join(w[i:min(i+40, len(w))], " "))
			}
		}
	}
	return posts
}

// reposts are the edits a forward or repost makes to a short post.
func reposts(p string) []string {
	w := strings.Fields(p)
	mid := len(w) / 2
	changed := append(append(append([]string{}, w[:mid]...), "گزارش"), w[mid+1:]...)
	cut := w[:len(w)-max(1, len(w)/5)]
	return []string{
		p + "\n\n🆔 @khabarfori",
		"🔴 فوری | " + p,
		strings.Join(changed, " "),
		strings.Join(cut, " ") + "\n#خبر",
		"🔴 " + strings.Join(changed, " ") + "\n@akhbar_rooz",
	}
}

// TestCorpusFalseMergesAndRecall measures the fingerprint on the real
// Persian corpus: pairs of distinct posts taken for one (false merges),
// and reposts with small edits found (recall). The figures are in
// docs/benchmarks.md; run with -v to print them.
func TestCorpusFalseMergesAndRecall(t *testing.T) {
	posts := corpusPosts(t)
	sets := make([]map[uint64]struct{}, len(posts))
	keys := make([][]int64, len(posts))
	for i, p := range posts {
		sets[i] = shingles(p)
		keys[i] = Keys(sets[i])
	}
	// The corpus repeats itself: a lead is the first paragraph again, some
	// scraped bodies hold a paragraph twice. Posts sharing a run of
	// sameRun words are copies, not distinct posts: merging them is right.
	runs := make([]map[string]bool, len(posts))
	for i, p := range posts {
		runs[i] = wordRuns(p)
	}
	pairs, copies, candidates, merged, copiesFound := 0, 0, 0, 0, 0
	var worst float64
	var distinctR, repostR []float64 // resemblance of candidate pairs
	for i := range posts {
		for j := i + 1; j < len(posts); j++ {
			copy := sharesRun(runs[i], runs[j])
			if copy {
				copies++
			} else {
				pairs++
			}
			if !sharesKey(keys[i], keys[j]) {
				continue
			}
			candidates++
			r := Resemblance(sets[i], sets[j])
			if !copy {
				distinctR = append(distinctR, r)
			}
			switch {
			case copy && r >= Threshold:
				copiesFound++
			case copy:
			case r >= Threshold:
				merged++
				t.Logf("merged (%.2f):\n  %s\n  %s", r, posts[i], posts[j])
				fallthrough
			default:
				worst = max(worst, r)
			}
		}
	}
	found, tried, exact := 0, 0, 0 // exact: above the threshold, banded or not
	for i, p := range posts {
		for _, rp := range reposts(p) {
			tried++
			s := shingles(rp)
			r := 0.0
			if sharesKey(keys[i], Keys(s)) {
				r = Resemblance(sets[i], s)
			}
			repostR = append(repostR, r)
			if Resemblance(sets[i], s) >= Threshold {
				exact++
			}
			if r >= Threshold {
				found++
			}
		}
	}
	recall := float64(found) / float64(tried)
	t.Logf("reposts at or above the threshold %d of %d (%.3f); the band lookup finds %d of them", exact, tried, float64(exact)/float64(tried), found)
	t.Logf("%d posts: %d pairs of distinct posts, %d candidates by band, %d false merges (rate %.2g), highest resemblance of a candidate pair %.2f; "+
		"copies within the corpus merged %d of %d; reposts found %d of %d (recall %.3f)",
		len(posts), pairs, candidates, merged, float64(merged)/float64(pairs), worst, copiesFound, copies, found, tried, recall)
	for _, th := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8} {
		fm, rc := 0, 0
		for _, r := range distinctR {
			if r >= th {
				fm++
			}
		}
		for _, r := range repostR {
			if r >= th {
				rc++
			}
		}
		t.Logf("threshold %.1f: %d false merges in %d pairs, recall %.3f", th, fm, pairs, float64(rc)/float64(len(repostR)))
	}
	if merged > 0 {
		t.Errorf("%d pairs of distinct posts merged", merged)
	}
	if recall < 0.95 {
		t.Errorf("recall %.3f on reposts, want at least 0.95", recall)
	}
}

// sameRun is the length of a word sequence two posts must share to be
// copies of one text.
const sameRun = 8

func wordRuns(p string) map[string]bool {
	w := strings.Fields(text.Normalize(p))
	out := map[string]bool{}
	for i := 0; i+sameRun <= len(w); i++ {
		out[strings.Join(w[i:i+sameRun], " ")] = true
	}
	return out
}

func sharesRun(a, b map[string]bool) bool {
	for r := range a {
		if b[r] {
			return true
		}
	}
	return false
}

// BenchmarkKeys is the cost of fingerprinting a 40-word post, beside the
// simhash of the same post as the baseline measured in the same run.
func BenchmarkKeys(b *testing.B) {
	normalized := text.Normalize(statement + " " + statement[:len(statement)/2])
	b.Run("minhash-keys", func(b *testing.B) {
		for b.Loop() {
			Keys(Shingles(normalized))
		}
	})
	b.Run("simhash-baseline", func(b *testing.B) {
		for b.Loop() {
			text.Simhash(normalized)
		}
	})
}
