package gen

// Op is one operation of the benchmark's fixed query mix. The mix lives
// here, beside the documents it runs on, so that the product's benchmark
// (internal/search) and the peer benchmark against Bleve (bench/search)
// run exactly the same operations.
type Op struct {
	// Kind is the query class: word, phrase, boolean, filter, facets or
	// coverage.
	Kind  string
	Query string
	// Facets asks a search for its counts by outlet, orientation,
	// language and day.
	Facets bool
	// Interval ("day" or "week") and By ("orientation", "outlet") are set
	// for coverage, which counts every match per period and series.
	Interval, By string
}

// Kinds are the query classes of Mix, in the order reports list them.
var Kinds = []string{"word", "phrase", "boolean", "filter", "facets", "coverage"}

// Mix is the benchmark's query mix: every search returns its first page of
// 20 highlighted hits and the total; facets and coverage count every
// match.
var Mix = []Op{
	{Kind: "word", Query: "ایران"},
	{Kind: "word", Query: "پوتین"},
	{Kind: "word", Query: "مجلس"},
	{Kind: "word", Query: "sanctions"},
	{Kind: "word", Query: "الوساطة"},
	{Kind: "phrase", Query: `"مذاکرات هسته‌ای"`},
	{Kind: "phrase", Query: `"ریاست جمهوری"`},
	{Kind: "phrase", Query: `"nuclear talks"`},
	{Kind: "boolean", Query: `پوتین OR بوتين OR putin -washington`},
	{Kind: "boolean", Query: `تحریم* -نفت`},
	{Kind: "filter", Query: `مجلس orientation:reformist after:2024-06-01 before:2024-09-01`},
	{Kind: "filter", Query: `lang:en talks`},
	{Kind: "filter", Query: `outlet:outlet-01 اقتصاد`},
	{Kind: "facets", Query: `ایران`, Facets: true},
	{Kind: "facets", Query: `مذاکرات OR talks`, Facets: true},
	{Kind: "coverage", Query: `پوتین OR بوتين OR putin`, Interval: "week", By: "orientation"},
	{Kind: "coverage", Query: `تحریم*`, Interval: "day", By: "outlet"},
}
