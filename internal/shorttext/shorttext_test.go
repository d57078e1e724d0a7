package shorttext

import (
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/pressreview/pressreview/internal/sharedtest"
	"github.com/pressreview/pressreview/internal/text"
)

const statement = "سخنگوی وزارت امور خارجه امروز در نشست خبری هفتگی گفت هیئت ایرانی با دستور کار روشن و اختیارات کامل در گفتگوهای هفته آینده ژنو حاضر خواهد شد و هیچ پیش شرطی را نمی‌پذیرد"

func shingles(s string) Set { return Shingles(text.Normalize(s)) }

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
	if Keys(Set{}) != nil || Resemblance(orig, nil) != 0 {
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
	sets := make([]Set, len(posts))
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

// TestSetAsMap: the sorted shingle sets give the shingles, keys and
// resemblances that the sets as maps (this package before them, kept
// here) gave, on the corpus's posts and their reposts: the keys are
// stored, and articles fingerprinted before must still meet the new.
func TestSetAsMap(t *testing.T) {
	mapShingles := func(normalized string) map[uint64]struct{} {
		var rs []rune
		space := true
		for _, r := range normalized {
			if unicode.IsLetter(r) || unicode.IsNumber(r) {
				rs = append(rs, r)
				space = false
			} else if !space {
				rs = append(rs, ' ')
				space = true
			}
		}
		if n := len(rs); n > 0 && rs[n-1] == ' ' {
			rs = rs[:n-1]
		}
		hash := func(rs []rune) uint64 {
			h := fnv.New64a()
			var b [4]byte
			for _, r := range rs {
				binary.LittleEndian.PutUint32(b[:], uint32(r))
				h.Write(b[:])
			}
			return mix(h.Sum64())
		}
		set := map[uint64]struct{}{}
		if len(rs) == 0 {
			return set
		}
		if len(rs) < Shingle {
			set[hash(rs)] = struct{}{}
			return set
		}
		for i := 0; i+Shingle <= len(rs); i++ {
			set[hash(rs[i:i+Shingle])] = struct{}{}
		}
		return set
	}
	mapKeys := func(set map[uint64]struct{}) []int64 {
		s := make(Set, 0, len(set))
		for v := range set {
			s = append(s, v)
		}
		// Keys takes the minimum of each hash function over the set,
		// whatever its order: shuffled, as a map is read.
		rand.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		return Keys(s)
	}
	mapResemblance := func(a, b map[uint64]struct{}) float64 {
		if len(a) == 0 || len(b) == 0 {
			return 0
		}
		shared := 0
		for v := range a {
			if _, ok := b[v]; ok {
				shared++
			}
		}
		return float64(shared) / float64(len(a)+len(b)-shared)
	}
	var texts []string
	for _, p := range corpusPosts(t) {
		texts = append(texts, text.Normalize(p))
		for _, r := range reposts(p) {
			texts = append(texts, text.Normalize(r))
		}
	}
	texts = append(texts, "", "!!", "ab", "abcd", "abcde", "a b c d e f", "新华社北京12月6日电 今天上午举行记者会", "iran's oil exports rose 12% 🙂 — officials said")
	sets, maps := make([]Set, len(texts)), make([]map[uint64]struct{}, len(texts))
	for i, s := range texts {
		sets[i], maps[i] = Shingles(s), mapShingles(s)
		if len(sets[i]) != len(maps[i]) || !slices.IsSorted(sets[i]) {
			t.Fatalf("%q: %d shingles (sorted %v), as a map %d", s, len(sets[i]), slices.IsSorted(sets[i]), len(maps[i]))
		}
		for _, v := range sets[i] {
			if _, ok := maps[i][v]; !ok {
				t.Fatalf("%q: shingle %x not in the map's", s, v)
			}
		}
		if k, want := Keys(sets[i]), mapKeys(maps[i]); !slices.Equal(k, want) {
			t.Fatalf("%q: keys %v, as a map %v", s, k, want)
		}
	}
	for i := range texts {
		for _, j := range []int{i + 1, i + 5, i + 37} {
			if j >= len(texts) {
				continue
			}
			if r, want := Resemblance(sets[i], sets[j]), mapResemblance(maps[i], maps[j]); r != want {
				t.Fatalf("%q and %q: resemblance %v, as maps %v", texts[i], texts[j], r, want)
			}
		}
	}
	t.Logf("%d texts", len(texts))
}

// BenchmarkResemblance compares a short text of about 700 shingles with
// an edited copy, as story grouping compares a short article with each of
// its candidates.
func BenchmarkResemblance(b *testing.B) {
	long := strings.Repeat(statement+" ", 4)
	x, y := shingles(long), shingles(strings.Replace(long, "امروز", "صبح امروز", 2))
	b.ReportAllocs()
	for b.Loop() {
		Resemblance(x, y)
	}
}
