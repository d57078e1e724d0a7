//go:build ignore

// gen builds the lexicon files of this folder from hazm's word list (see
// README.md): go run gen.go -words path/to/hazm/data/words.dat
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/text"
)

// numbers are the number words that form compounds (سه‌روزه, هفت‌ساله)
// but mostly stand apart in news prose (سه روز): only their compounds
// with شنبه are kept.
var numbers = strings.Fields(`یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده سیزده چهارده پانزده
	شانزده هفده هجده نوزده بیست سی چهل پنجاه شصت هفتاد هشتاد نود صد دویست سیصد چهارصد پانصد هزار`)

// boundSuffixes are second elements that the press writes both solid and
// apart (دانشگاه، دانش گاه): a solid word made of an attested word and one
// of them is a compound too.
var boundSuffixes = strings.Fields(`گاه گاهی گاهها طلب طلبی طلبان طلبانه وار واره ناک مند مندی مندان
	گری گران ستان زار کده آمیز انگیز پذیر پذیری ساز سازی شناس شناسی گرا گرایی`)

func main() {
	words := flag.String("words", "", "hazm's data/words.dat")
	flag.Parse()
	f, err := os.Open(*words)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	type entry struct{ form, tags string }
	var entries []entry
	known := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 || parts[0] == "" {
			continue
		}
		entries = append(entries, entry{parts[0], parts[2]})
		known[text.Normalize(parts[0])] = true
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	stop := func(w string) bool { return text.IsStopWord(text.Persian, w) && w != "بی" }
	isNumber := func(w string) bool { return slices.Contains(numbers, w) }
	compounds := map[string]bool{}
	hosts := map[string]bool{}
	adjectives := map[string]bool{}
	for _, e := range entries {
		parts := strings.Split(e.form, "\u200C")
		if len(parts) == 2 {
			a, b := text.Normalize(parts[0]), text.Normalize(parts[1])
			if single(a) && single(b) && utf8.RuneCountInString(a) >= 2 && !stop(b) &&
				(!stop(a) && !isNumber(a) || b == "شنبه") {
				compounds[a+" "+b] = true
			}
			continue
		}
		w := text.Normalize(e.form)
		if !single(w) {
			continue
		}
		for _, s := range boundSuffixes {
			if stem, ok := strings.CutSuffix(w, s); ok && utf8.RuneCountInString(stem) >= 2 && known[stem] && !stop(stem) {
				compounds[stem+" "+s] = true
			}
		}
		if utf8.RuneCountInString(w) >= 3 && (strings.HasSuffix(w, "ه") || strings.HasSuffix(w, "ی")) {
			hosts[w] = true
		}
		// Hazm tags many nouns as adjectives too (کتاب: N,AJ); a noun is
		// not used as an adverb, an adjective usually is (مهم: N,AJ,ADV).
		tags := strings.Split(e.tags, ",")
		if slices.Contains(tags, "AJ") && (!slices.Contains(tags, "N") || slices.Contains(tags, "ADV")) {
			adjectives[w] = true
		}
		for _, s := range []string{"تر", "ترین"} {
			if stem, ok := strings.CutSuffix(w, s); ok && known[stem] && utf8.RuneCountInString(stem) >= 2 && !stop(stem) {
				adjectives[stem] = true
			}
		}
	}
	write("compounds.txt", compounds)
	write("hosts.txt", hosts)
	write("adjectives.txt", adjectives)
}

// single reports whether w is one Arabic-script word after normalization.
func single(w string) bool {
	return w != "" && !strings.ContainsFunc(w, func(r rune) bool { return r < 0x0600 || r > 0x06FF })
}

func write(name string, set map[string]bool) {
	lines := make([]string, 0, len(set))
	for w := range set {
		lines = append(lines, w)
	}
	slices.Sort(lines)
	if err := os.WriteFile(name, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println(name, len(lines))
}
