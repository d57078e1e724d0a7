package search

import (
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// search_bm25(search_fts, h, 3.0, 1.0) is FTS5's bm25(search_fts, 3.0,
// 1.0) with one difference: the length of each match comes from the
// docCache of statement h (sink.cache) instead of search_fts_docsize. FTS5
// looks that length up with a statement run per ranked row, three quarters
// of bm25's time and half of a search of a common word (ایران: 10,000
// ranked matches, about 6 of 12 ms). Everything else is FTS5's own
// fts5Bm25Function (sqlite's ext/fts5/fts5_aux.c), operation for
// operation, down to the C library's log, so that the scores are the same
// to the bit and the order of the results does not change
// (TestBM25AgreesWithFTS5). A row the cache does not know, or whose length
// it could not read, is measured by FTS5 as bm25 measures it.
//
// FTS5 gives a row's term frequencies only to auxiliary functions, which
// database/sql cannot register: this one is registered through SQLite's C
// API, which modernc.org/sqlite/lib exposes as Go, as an automatic
// extension that every connection of the process gets when it opens.
const cachedScore = "search_bm25(search_fts, ?, " + bm25Weights + ")"

func init() {
	tls := libc.NewTLS()
	defer tls.Close()
	if rc := sqlite3.Xsqlite3_auto_extension(tls, cFunc(registerBM25)); rc != sqlite3.SQLITE_OK {
		panic("search: cannot register search_bm25")
	}
}

// at is the value at p in the C memory that SQLite hands to the functions
// below, which is not Go's: unsafe.Add from nil rather than a conversion
// of the uintptr keeps go vet's check of Go pointers quiet.
func at[T any](p uintptr) *T { return (*T)(unsafe.Add(nil, p)) }

// cFunc is the C function pointer of a Go function declared at top level,
// as modernc.org/sqlite/lib calls them (a pointer to the function value).
func cFunc[F any](f F) uintptr { return *(*uintptr)(unsafe.Pointer(&f)) }

const ptrSize = unsafe.Sizeof(uintptr(0))

// cAddr is the address of an int32 in C memory, for the C API to write.
func cAddr(p *int32) uintptr { return uintptr(unsafe.Pointer(p)) }

// goFunc is the Go function behind a C function pointer of the FTS5 API.
func goFunc[F any](p uintptr) F { return *(*F)(unsafe.Pointer(&p)) }

// registerBM25 is the entry point of the automatic extension:
// int xInit(sqlite3*, char **pzErrMsg, const sqlite3_api_routines*).
func registerBM25(tls *libc.TLS, db, _, _ uintptr) int32 {
	// This runs inside sqlite3_open, before the DSN's pragmas: without a
	// busy timeout of its own, the statement below failed at once with
	// SQLITE_BUSY while another connection held the lock, and the
	// connection then opened without search_bm25 (or did not open at all).
	// Same wait as the DSN's busy_timeout (internal/store).
	sqlite3.Xsqlite3_busy_timeout(tls, db, 10000)
	api := fts5API(tls, db)
	if api == 0 {
		// Every build of modernc.org/sqlite has FTS5: no API means the
		// statement failed, and a connection that could not rank must
		// not open as if it could.
		return sqlite3.SQLITE_ERROR
	}
	name, err := libc.CString("search_bm25")
	if err != nil {
		return sqlite3.SQLITE_NOMEM
	}
	defer libc.Xfree(tls, name)
	create := goFunc[func(*libc.TLS, uintptr, uintptr, uintptr, uintptr, uintptr) int32](at[sqlite3.Tfts5_api](api).FxCreateFunction)
	return create(tls, api, name, 0, cFunc(bm25Function), 0)
}

// fts5API returns the connection's fts5_api, as the FTS5 documentation
// says to get it: SELECT fts5(?1) with a pointer bound to ?1.
func fts5API(tls *libc.TLS, db uintptr) uintptr {
	sql, err := libc.CString("SELECT fts5(?1)")
	if err != nil {
		return 0
	}
	defer libc.Xfree(tls, sql)
	typ, err := libc.CString("fts5_api_ptr")
	if err != nil {
		return 0
	}
	defer libc.Xfree(tls, typ)
	p := tls.Alloc(2 * int(ptrSize)) // the statement, then the fts5_api pointer
	defer tls.Free(2 * int(ptrSize))
	*at[uintptr](p), *at[uintptr](p + ptrSize) = 0, 0
	if sqlite3.Xsqlite3_prepare_v2(tls, db, sql, -1, p, 0) != sqlite3.SQLITE_OK {
		return 0
	}
	stmt := *at[uintptr](p)
	if sqlite3.Xsqlite3_bind_pointer(tls, stmt, 1, p+ptrSize, typ, 0) == sqlite3.SQLITE_OK {
		sqlite3.Xsqlite3_step(tls, stmt)
	}
	sqlite3.Xsqlite3_finalize(tls, stmt)
	return *at[uintptr](p + ptrSize)
}

// bm25Data is what fts5Bm25GetData computes once per statement, kept as
// the statement's auxiliary data in memory from sqlite3_malloc, followed
// by the IDF and then the frequency of each phrase.
type bm25Data struct {
	nPhrase int64
	avgdl   float64
	sink    int64
	// The C API's results for one row, kept here rather than allocated
	// for each.
	nInst, ip, ic, io, nTok int32
}

// The FTS5 extension API as bm25Function calls it (sqlite3.h,
// Fts5ExtensionApi).
type (
	fts5Ext      = sqlite3.TFts5ExtensionApi
	fts5PtrFn    = func(*libc.TLS, uintptr, uintptr) int32 // xInstCount, xRowCount
	fts5IntFn    = func(*libc.TLS, uintptr) int32          // xPhraseCount
	fts5RowidFn  = func(*libc.TLS, uintptr) int64          // xRowid
	fts5SizeFn   = func(*libc.TLS, uintptr, int32, uintptr) int32
	fts5InstFn   = func(*libc.TLS, uintptr, int32, uintptr, uintptr, uintptr) int32
	fts5QueryFn  = func(*libc.TLS, uintptr, int32, uintptr, uintptr) int32
	fts5GetAuxFn = func(*libc.TLS, uintptr, int32) uintptr
	fts5SetAuxFn = func(*libc.TLS, uintptr, uintptr, uintptr) int32
)

// bm25GetData is fts5Bm25GetData: the statement's data, computed on its
// first row. The IDF of a phrase counts the rows that match it in the
// whole table, through xQueryPhrase, exactly as bm25 does.
func bm25GetData(tls *libc.TLS, x *fts5Ext, pFts uintptr, apVal uintptr) (uintptr, int32) {
	p := goFunc[fts5GetAuxFn](x.FxGetAuxdata)(tls, pFts, 0)
	if p != 0 {
		return p, sqlite3.SQLITE_OK
	}
	nPhrase := goFunc[fts5IntFn](x.FxPhraseCount)(tls, pFts)
	size := bm25Header + uintptr(nPhrase)*2*8
	p = sqlite3.Xsqlite3_malloc64(tls, uint64(size))
	if p == 0 {
		return 0, sqlite3.SQLITE_NOMEM
	}
	clear(unsafe.Slice(at[byte](p), size))
	d := at[bm25Data](p)
	d.nPhrase = int64(nPhrase)
	d.sink = sqlite3.Xsqlite3_value_int64(tls, *at[uintptr](apVal))
	n := tls.Alloc(24) // nRow, nToken, nHit
	defer tls.Free(24)
	s, _ := sinks.get(d.sink)
	*at[int64](n), *at[int64](n + 8) = 0, 0
	rc := goFunc[fts5PtrFn](x.FxRowCount)(tls, pFts, n)
	if rc == sqlite3.SQLITE_OK {
		rc = goFunc[fts5SizeFn](x.FxColumnTotalSize)(tls, pFts, -1, n+8)
	}
	nRow := *at[int64](n)
	if rc == sqlite3.SQLITE_OK {
		d.avgdl = float64(*at[int64](n + 8)) / float64(nRow)
	}
	idf := bm25IDF(p)
	for i := range int(nPhrase) {
		if rc != sqlite3.SQLITE_OK {
			break
		}
		*at[int64](n + 16) = 0
		rc = goFunc[fts5QueryFn](x.FxQueryPhrase)(tls, pFts, int32(i), n+16, cFunc(bm25CountRow))
		if rc == sqlite3.SQLITE_OK {
			nHit := *at[int64](n + 16)
			if nPhrase == 1 && s != nil {
				s.hits, s.counted = int(nHit), true
			}
			v := libc.Xlog(tls, (float64(nRow-nHit)+0.5)/(float64(nHit)+0.5))
			if v <= 0 {
				v = 1e-6
			}
			idf[i] = v
		}
	}
	if rc == sqlite3.SQLITE_OK {
		rc = goFunc[fts5SetAuxFn](x.FxSetAuxdata)(tls, pFts, p, cFunc(sqlite3.Xsqlite3_free))
		// xSetAuxdata frees p itself when it fails.
	} else {
		sqlite3.Xsqlite3_free(tls, p)
	}
	if rc != sqlite3.SQLITE_OK {
		return 0, rc
	}
	return p, rc
}

// bm25Header is the size of bm25Data, rounded up to align the arrays
// that follow it.
const bm25Header = (unsafe.Sizeof(bm25Data{}) + 7) &^ 7

// bm25IDF and bm25Freq are the arrays that follow bm25Data at p.
func bm25IDF(p uintptr) []float64 {
	d := at[bm25Data](p)
	return unsafe.Slice(at[float64](p+bm25Header), d.nPhrase)
}

func bm25Freq(p uintptr) []float64 {
	d := at[bm25Data](p)
	return unsafe.Slice(at[float64](p+bm25Header+uintptr(d.nPhrase)*8), d.nPhrase)
}

// bm25CountRow is fts5CountCb, xQueryPhrase's callback: one more row.
func bm25CountRow(_ *libc.TLS, _, _, n uintptr) int32 {
	*at[int64](n)++
	return sqlite3.SQLITE_OK
}

// bm25Function is fts5Bm25Function but for the length of the row; apVal
// holds h, then the column weights.
func bm25Function(tls *libc.TLS, pApi, pFts, pCtx uintptr, nVal int32, apVal uintptr) {
	// Variables, as in C: Go would compute k1+1 from the constants
	// exactly, and round only then.
	var k1, b float64 = 1.2, 0.75
	x := at[fts5Ext](pApi)
	p, rc := bm25GetData(tls, x, pFts, apVal)
	if rc != sqlite3.SQLITE_OK {
		sqlite3.Xsqlite3_result_error_code(tls, pCtx, rc)
		return
	}
	d := at[bm25Data](p)
	idf, freq := bm25IDF(p), bm25Freq(p)
	clear(freq)
	d.nInst = 0
	rc = goFunc[fts5PtrFn](x.FxInstCount)(tls, pFts, cAddr(&d.nInst))
	for i := int32(0); rc == sqlite3.SQLITE_OK && i < d.nInst; i++ {
		rc = goFunc[fts5InstFn](x.FxInst)(tls, pFts, i, cAddr(&d.ip), cAddr(&d.ic), cAddr(&d.io))
		if rc == sqlite3.SQLITE_OK {
			w := 1.0
			// The weights follow h among the arguments.
			if nVal-1 > d.ic {
				w = sqlite3.Xsqlite3_value_double(tls, *at[uintptr](apVal + uintptr(1+d.ic)*ptrSize))
			}
			freq[d.ip] += w
		}
	}
	var D float64
	if rc == sqlite3.SQLITE_OK {
		n, ok := rankedRow(d.sink, goFunc[fts5RowidFn](x.FxRowid)(tls, pFts))
		if !ok {
			rc = goFunc[fts5SizeFn](x.FxColumnSize)(tls, pFts, -1, cAddr(&d.nTok))
			n = d.nTok
		}
		D = float64(n)
	}
	if rc != sqlite3.SQLITE_OK {
		sqlite3.Xsqlite3_result_error_code(tls, pCtx, rc)
		return
	}
	// As fts5Bm25Function writes it, each product rounded on its own
	// (the conversions forbid fusing a multiply and an add).
	score := 0.0
	for i := range idf {
		score = score + float64(idf[i]*(float64(freq[i]*(k1+1))/(freq[i]+float64(k1*(1-b+float64(b*D)/d.avgdl)))))
	}
	sqlite3.Xsqlite3_result_double(tls, pCtx, float64(-1*score))
}

// rankedRow counts a row that statement h ranks, and returns the length
// in tokens of its article as the statement's cache holds it.
func rankedRow(h, id int64) (int32, bool) {
	s, err := sinks.get(h)
	if err != nil || s.cache == nil {
		return 0, false
	}
	s.ranked++
	return s.cache.tokensOf(id)
}
