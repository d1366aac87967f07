package screening

import (
	"math"
	"slices"
	"strings"
	"sync"

	"molehunt"
)

// Options tunes the index; zero values mean defaults.
type Options struct {
	// Threshold is the default overall score at or above which a result is
	// a match (DefaultThreshold when zero).
	Threshold float64
	// Limit is the default number of results returned (10 when zero).
	Limit int
}

// DefaultThreshold is the match threshold chosen from measurement on the
// development set: see the package documentation.
const DefaultThreshold = 0.80

// DefaultLimit is the number of results returned when neither the options
// nor the query say.
const DefaultLimit = 10

// maxNameTokens caps the tokens of one name that take part in scoring, so
// that the alignment fits a 64-bit mask.
const maxNameTokens = 48

// term is one distinct normalised token of the listed names, with the keys
// under which fuzzy rules find it.
type term struct {
	s        string
	df       int32   // number of names holding it as a token
	w        float32 // rarity weight (IDF)
	kkey     string  // Korean key, when the token is Korean-shaped
	phon     string  // consonant skeleton for transliteration variants
	surname  string  // Korean surname class
	postings []int32 // names holding it as a token
	joins    []int32 // names holding it as two adjacent tokens written together
}

// nameRec is one listed name prepared for scoring.
type nameRec struct {
	entry  int32
	full   string
	kind   molehunt.NameKind
	weak   bool
	toks   []int32 // term ids in listed order
	rot    int8    // >0: the name read from token rot on, then wrapping, puts given names first ("KIM, Jong Un")
	legal  uint64  // bit i set: toks[i] is a legal form
	middle uint64  // bit i set: toks[i] is a middle name (a given name after the first)
	total  float32 // sum of token weights
}

// Index is an immutable, concurrency-safe index over a set of list entries.
// Build it aside with New and swap the pointer to serve a new list version.
type Index struct {
	opts    Options
	lists   []molehunt.ListInfo
	entries []molehunt.ListEntry
	byID    map[string]int32

	terms  []term
	termID map[string]int32
	names  []nameRec

	dels    []delEntry         // deletion neighbourhoods of terms, sorted by hash
	byKKey  map[string][]int32 // Korean key → terms
	byPhon  map[string][]int32 // phonetic key → terms
	bySurn  map[string][]int32 // surname class → terms
	idents  map[string][]int32 // normalised identifier → entries
	maxDF   int32
	unknown float32 // weight of a token no listed name holds

	pool sync.Pool // *scratch
}

var _ molehunt.Screener = (*Index)(nil)

type delEntry struct {
	h  uint64
	id int32
}

// New builds an index over set. The entries are copied by reference: the
// caller must not modify them afterwards.
func New(set molehunt.ListSet, opts Options) (*Index, error) {
	if opts.Threshold < 0 || opts.Threshold > 1 {
		return nil, molehunt.Errorf(molehunt.EInvalid, "screening.New", "threshold %v outside [0,1]", opts.Threshold)
	}
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Limit <= 0 {
		opts.Limit = DefaultLimit
	}
	ix := &Index{
		opts:    opts,
		lists:   slices.Clone(set.Lists),
		entries: set.Entries,
		byID:    make(map[string]int32, len(set.Entries)),
		termID:  make(map[string]int32, 1<<17),
		byKKey:  map[string][]int32{},
		byPhon:  map[string][]int32{},
		bySurn:  map[string][]int32{},
		idents:  map[string][]int32{},
	}
	for i := range set.Entries {
		e := &set.Entries[i]
		if err := e.Validate(); err != nil {
			return nil, &molehunt.Error{Code: molehunt.EInvalid, Op: "screening.New", Message: "invalid list entry", Err: err}
		}
		id := e.ID
		if id == "" {
			id = molehunt.EntryID(e.List, e.SourceID)
		}
		ix.byID[id] = int32(i)
		ix.addEntry(int32(i), e)
	}
	ix.finish()
	ix.pool.New = func() any { return &scratch{acc: make([]float32, len(ix.names))} }
	return ix, nil
}

func (ix *Index) intern(s string) int32 {
	if id, ok := ix.termID[s]; ok {
		return id
	}
	id := int32(len(ix.terms))
	ix.terms = append(ix.terms, term{s: s})
	ix.termID[s] = id
	return id
}

func (ix *Index) addEntry(ei int32, e *molehunt.ListEntry) {
	seen := map[string]bool{}
	for _, n := range e.Names {
		full := n.Full
		toks := normTokens(full)
		toks = dropHonorifics(toks)
		if len(toks) == 0 {
			continue
		}
		key := strings.Join(toks, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		for i := range toks {
			toks[i] = canonToken(toks[i])
		}
		if len(toks) > maxNameTokens {
			toks = toks[:maxNameTokens]
		}
		rec := nameRec{entry: ei, full: full, kind: n.Kind, weak: n.Quality == molehunt.NameWeak}
		if e.Type != molehunt.EntityPerson {
			for i, m := range legalMask(toks) {
				if m {
					rec.legal |= 1 << i
				}
			}
		}
		rec.toks = make([]int32, len(toks))
		for i, t := range toks {
			rec.toks[i] = ix.intern(t)
		}
		rec.rot = int8(familyTokens(e.Type, n, toks))
		for j := int(rec.rot) + 1; rec.rot > 0 && j < len(toks); j++ {
			rec.middle |= 1 << j
		}
		nid := int32(len(ix.names))
		ix.names = append(ix.names, rec)
		for i, t := range rec.toks {
			tm := &ix.terms[t]
			if n := len(tm.postings); n == 0 || tm.postings[n-1] != nid {
				tm.postings = append(tm.postings, nid)
			}
			if i+1 < len(rec.toks) {
				ix.addJoin(nid, ix.terms[t].s+ix.terms[rec.toks[i+1]].s)
			}
		}
		if k := int(rec.rot); k > 0 {
			// given names first: the last given name meets the first family name
			ix.addJoin(nid, toks[len(toks)-1]+toks[0])
		}
	}
	for _, d := range e.Documents {
		ix.addIdent(ei, normDocument(d.Number))
	}
	for _, c := range e.Crypto {
		ix.addIdent(ei, strings.TrimSpace(c.Address))
	}
	for _, m := range e.Emails {
		ix.addIdent(ei, strings.ToLower(strings.TrimSpace(m)))
	}
	for _, p := range e.Phones {
		ix.addIdent(ei, normPhone(p))
	}
}

func (ix *Index) addJoin(nid int32, s string) {
	id := ix.intern(s)
	tm := &ix.terms[id]
	if n := len(tm.joins); n == 0 || tm.joins[n-1] != nid {
		tm.joins = append(tm.joins, nid)
	}
}

func (ix *Index) addIdent(ei int32, s string) {
	if len(s) < 4 {
		return
	}
	l := ix.idents[s]
	if len(l) > 0 && l[len(l)-1] == ei {
		return
	}
	ix.idents[s] = append(l, ei)
}

// familyTokens returns how many leading tokens of a person's name are the
// family name when the list wrote it family first ("KIM, Jong Un" → 1), so
// that the given-names-first reading is known too; 0 when unknown.
func familyTokens(t molehunt.EntityType, n molehunt.Name, toks []string) int {
	if t != molehunt.EntityPerson && t != molehunt.EntityUnknown {
		return 0
	}
	fam := n.Family
	if fam == "" {
		f, _, ok := strings.Cut(n.Full, ",")
		if !ok {
			return 0
		}
		fam = f
	}
	nf := len(dropHonorifics(normTokens(fam)))
	if nf == 0 || nf >= len(toks) || nf > 100 {
		return 0
	}
	return nf
}

// finish computes weights and the fuzzy keys once all names are in.
func (ix *Index) finish() {
	n := float64(len(ix.names) + 1)
	ix.unknown = float32(math.Log(n / 3))
	ix.maxDF = int32(max(100, len(ix.names)/100))
	var fuzzy []int32 // terms that get a deletion neighbourhood
	for id := range ix.terms {
		tm := &ix.terms[id]
		tm.df = int32(len(tm.postings))
		tm.w = tokenWeight(tm.s, tm.df, n)
		if tm.df == 0 {
			// A join only: reached by exact lookup and by the scorer.
			continue
		}
		if isKoreanShaped(tm.s) {
			tm.kkey = koreanKey(tm.s)
			ix.byKKey[tm.kkey] = append(ix.byKKey[tm.kkey], int32(id))
		}
		if c, ok := surnameClass[tm.s]; ok {
			tm.surname = c
			ix.bySurn[c] = append(ix.bySurn[c], int32(id))
		}
		if p := phonKey(tm.s); p != "" {
			tm.phon = p
			ix.byPhon[p] = append(ix.byPhon[p], int32(id))
		}
		fuzzy = append(fuzzy, int32(id))
	}
	ix.dels = slices.Compact(ix.deletionTable(fuzzy))
	for i := range ix.names {
		r := &ix.names[i]
		var s float32
		for k, t := range r.toks {
			if r.legal&(1<<k) == 0 {
				s += ix.terms[t].w
			}
		}
		r.total = s
	}
}

// tokenWeight is the rarity weight of a token held by df of n names: an
// IDF, floored so that even the commonest word counts a little, and low
// for single letters and digits, which say little on their own.
func tokenWeight(s string, df int32, n float64) float32 {
	if len(s) == 1 {
		return 1
	}
	w := math.Log(n / (float64(df) + 0.5))
	if w < 1 {
		w = 1
	}
	return float32(w)
}

// editBudget is the number of typos a token of n letters may carry: none
// for short tokens, where one letter makes another name.
func editBudget(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 7:
		return 1
	default:
		return 2
	}
}

// Lists returns the versions of the lists in the index.
func (ix *Index) Lists() []molehunt.ListInfo { return slices.Clone(ix.lists) }

// DefaultThreshold returns the threshold used when a query gives none.
func (ix *Index) DefaultThreshold() float64 { return ix.opts.Threshold }

// Entry returns the indexed entry with the given id ("us_ofac_sdn-12345").
func (ix *Index) Entry(id string) (*molehunt.ListEntry, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return nil, false
	}
	return &ix.entries[i], true
}

// normDocument folds a document number: case and separators do not count.
func normDocument(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '_':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normPhone keeps the digits of a phone number and a leading plus.
func normPhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		if r >= '0' && r <= '9' || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// deletionTable hashes the deletion neighbourhoods of the given terms
// (in increasing id order) and sorts them by hash, ties in id order. It is
// the costliest step of building an index, so the two halves of the terms
// are hashed and sorted at once and then merged.
func (ix *Index) deletionTable(ids []int32) []delEntry {
	half := len(ids) / 2
	spans := [2][]int32{ids[:half], ids[half:]}
	var parts [2][]delEntry
	var wg sync.WaitGroup
	for p, span := range spans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]delEntry, 0, len(span)*8)
			for _, id := range span {
				s := ix.terms[id].s
				deletions(s, editBudget(len(s)), func(h uint64) { out = append(out, delEntry{h, id}) })
			}
			parts[p] = radixSort(out)
		}()
	}
	wg.Wait()
	return mergeDels(parts[0], parts[1])
}

// mergeDels merges two hash-sorted tables, taking a's entry first on equal
// hashes (a holds the lower ids), so the result is sorted by (hash, id).
func mergeDels(a, b []delEntry) []delEntry {
	out := make([]delEntry, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].h < a[0].h {
			out = append(out, b[0])
			b = b[1:]
		} else {
			out = append(out, a[0])
			a = a[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// radixSort sorts deletion entries by hash, keeping the order of equal
// hashes (ids were appended in increasing order), in eight byte-wide
// passes: much faster than a comparison sort on a million entries.
func radixSort(a []delEntry) []delEntry {
	buf := make([]delEntry, len(a))
	for shift := uint(0); shift < 64; shift += 8 {
		var count [257]int
		for _, e := range a {
			count[(e.h>>shift)&0xff+1]++
		}
		for i := 1; i < 257; i++ {
			count[i] += count[i-1]
		}
		for _, e := range a {
			b := (e.h >> shift) & 0xff
			buf[count[b]] = e
			count[b]++
		}
		a, buf = buf, a
	}
	return a
}
