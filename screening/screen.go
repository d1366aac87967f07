package screening

import (
	"math"
	"slices"
	"sort"
	"strings"

	"molehunt"
)

// Scoring constants, measured on the development set (see the package
// documentation for the figures).
const (
	// The name score is cq × cov^coverExp: cq is the weighted share of the
	// query's tokens explained by the listed name (fuzzy rules at their
	// similarity), cov the weighted share of the listed name covered. Both
	// weights are rarity (IDF), so common words count little. A query that leaves
	// out a word of the listed name loses less than one that adds a word
	// the list does not know, and a match both fuzzy and partial loses
	// more than either.
	coverExp = 0.7
	// middleDiscount is the share of an unmatched middle name's weight
	// that is forgiven.
	middleDiscount = 0.5
	// looseFactor and looseMin give partial credit to a pair of tokens
	// left over by the rules, one edit beyond the typo budget.
	looseFactor = 0.9
	looseMin    = 0.45
	// weakFactor caps names the list marks as weak aliases below an exact
	// strong name.
	weakFactor = 0.9
	// typeFactor lowers a person matched with an organisation (or the
	// reverse) when the query says its type.
	typeFactor = 0.85
	// maxCandidates is how many candidate names are scored in full, best
	// bound first; candidateFloor is the least share of the query's weight
	// a candidate must hold keys for.
	maxCandidates  = 32
	candidateFloor = 0.3
	// reportFloor is the lowest score returned at all.
	reportFloor = 0.5
)

// Similarities of the token rules, in [0,1].
const (
	simExact        = 1.0
	simSurname      = 0.97
	simRoman        = 0.95
	typoCost        = 0.8 // similarity lost per edit, times the token length
	firstLetterCost = 0.1
	simPhonetic     = 0.85
	simInitial      = 0.6
	joinFactor      = 0.98
	romanAltExact   = 0.97
)

// rule names, as they appear in explanations.
const (
	ruleNone = iota
	ruleExact
	ruleSurname
	ruleRoman
	ruleTypo
	rulePhonetic
	ruleInitial
	ruleJoined
)

var ruleNames = [...]string{"", "exact", "korean_surname", "romanisation", "typo", "phonetic", "initial", "joined_split"}

// qtok is one token of a query name with its keys.
type qtok struct {
	s       string
	alt     string // the Revised Romanization of a Hangul syllable, when it differs
	kkey    string
	phon    string
	surname string
	w       float32
	legal   bool
	hits    []termHit // listed terms this token meets, by rule
}

// termHit is a listed term a query token meets, found through the index
// keys once per query so that scoring each candidate only looks it up.
type termHit struct {
	term int32
	sim  float32
	rule uint8
}

// lookup returns the similarity of the token with a listed term.
func (q *qtok) lookup(id int32, t *term) (float32, uint8) {
	for _, h := range q.hits {
		if h.term == id {
			return h.sim, h.rule
		}
	}
	if len(q.s) == 1 && len(t.s) > 1 && t.s[0] == q.s[0] || len(t.s) == 1 && len(q.s) > 1 && q.s[0] == t.s[0] {
		return simInitial, ruleInitial
	}
	return 0, ruleNone
}

// qname is one prepared query name.
type qname struct {
	raw   string
	toks  []qtok
	pairs []qtok // toks[i]+toks[i+1] written together
	total float32
}

type scratch struct {
	acc     []float32
	touched []int32
	edges   []edge
}

type edge struct {
	qmask, lmask uint64
	sim          float32
	wq, wl       float32
	rule         uint8
	qs, ls       string
}

func (ix *Index) prepare(raw string, typ molehunt.EntityType) qname {
	toks := dropHonorifics(normTokens(raw))
	if len(toks) > maxNameTokens {
		toks = toks[:maxNameTokens]
	}
	var alts []string
	if hasHangul(raw) {
		alts = dropHonorifics(normTokens(RomanizeHangul(raw, RR)))
		if len(alts) != len(toks) {
			alts = nil
		}
	}
	qn := qname{raw: raw, toks: make([]qtok, len(toks))}
	var mask []bool
	if typ != molehunt.EntityPerson {
		mask = legalMask(toks)
	}
	for i, t := range toks {
		t = canonToken(t)
		qt := qtok{s: t}
		if alts != nil && alts[i] != t {
			qt.alt = alts[i]
		}
		ix.keys(&qt)
		qt.legal = mask != nil && mask[i]
		qn.toks[i] = qt
	}
	for i := 0; i+1 < len(qn.toks); i++ {
		p := qtok{s: qn.toks[i].s + qn.toks[i+1].s}
		ix.keys(&p)
		qn.pairs = append(qn.pairs, p)
	}
	return qn
}

func hasHangul(s string) bool {
	for _, r := range s {
		if isHangulSyllable(r) {
			return true
		}
	}
	return false
}

// keys fills the fuzzy keys of a query token and its weight when the token
// is known exactly.
func (ix *Index) keys(qt *qtok) {
	if isKoreanShaped(qt.s) {
		qt.kkey = koreanKey(qt.s)
	}
	qt.surname = surnameClass[qt.s]
	qt.phon = phonKey(qt.s)
	qt.w = 0
	if len(qt.s) == 1 {
		qt.w = 1
	} else if id, ok := ix.termID[qt.s]; ok && ix.terms[id].df > 0 {
		qt.w = ix.terms[id].w
	}
}

// tokSim compares a query token with a listed term by the rules in order
// of strength.
func tokSim(q *qtok, t *term) (float32, uint8) {
	if q.s == t.s {
		return simExact, ruleExact
	}
	if q.alt != "" && q.alt == t.s {
		return romanAltExact, ruleRoman
	}
	if q.surname != "" && q.surname == t.surname {
		return simSurname, ruleSurname
	}
	if q.kkey != "" && q.kkey == t.kkey {
		return simRoman, ruleRoman
	}
	if s := typoSim(q.s, t.s); s > 0 {
		return s, ruleTypo
	}
	if q.phon != "" && q.phon == t.phon && (len(q.phon) >= 4 || q.s[0] == t.s[0]) {
		return simPhonetic, rulePhonetic
	}
	if len(q.s) == 1 && len(t.s) > 1 && t.s[0] == q.s[0] || len(t.s) == 1 && len(q.s) > 1 && q.s[0] == t.s[0] {
		return simInitial, ruleInitial
	}
	return 0, ruleNone
}

// typoSim is the similarity of two tokens within the edit budget of the
// shorter, or 0. One edit costs more in a short token, where it is a larger
// part of the name.
func typoSim(a, b string) float32 {
	k := editBudget(min(len(a), len(b)))
	if k == 0 {
		return 0
	}
	d := osa(a, b, k)
	if d > k {
		return 0
	}
	sim := 1 - typoCost*float32(d)/float32(max(len(a), len(b)))
	if a[0] != b[0] {
		// A misspelling seldom touches the first letter; a different
		// first letter more often means a different name (Pyong/Myong).
		sim -= firstLetterCost
	}
	return sim
}

// joinSim compares a token with two tokens written together.
func joinSim(q *qtok, a, b *term) float32 {
	n := len(a.s) + len(b.s)
	if d := len(q.s) - n; d > 2 || d < -2 || q.s[0] != a.s[0] && (q.kkey == "" || a.kkey == "") {
		return 0
	}
	if len(q.s) == n && strings.HasPrefix(q.s, a.s) && strings.HasSuffix(q.s, b.s) {
		return joinFactor
	}
	c := a.s + b.s
	if q.s == c {
		return joinFactor
	}
	if s := typoSim(q.s, c); s > 0 {
		return s * joinFactor
	}
	if q.kkey != "" && a.kkey != "" && b.kkey != "" && q.kkey == koreanKey(c) {
		return simRoman * joinFactor
	}
	return 0
}

// candidates collects the names that share a key with the query and
// returns them best first by an upper bound of their score.
func (ix *Index) candidates(qn *qname, sc *scratch, out []int32) []int32 {
	type freqHit struct {
		q    int
		term int32
		w    float32
	}
	var freq []freqHit
	var seen []int32
	add := func(names []int32, w float32) {
		for _, n := range names {
			if sc.acc[n] == 0 {
				sc.touched = append(sc.touched, n)
			}
			sc.acc[n] += w
		}
	}
	content := 0
	for i := range qn.toks {
		if !qn.toks[i].legal {
			content++
		}
	}
	for i := range qn.toks {
		q := &qn.toks[i]
		seen = ix.matchTerms(q, seen[:0])
		q.hits = q.hits[:0]
		var best float32
		for _, id := range seen {
			t := &ix.terms[id]
			sim, rule := tokSim(q, t)
			if sim == 0 {
				continue
			}
			q.hits = append(q.hits, termHit{id, sim, rule})
			if t.w > best {
				best = t.w
			}
		}
		if q.w == 0 {
			q.w = best
			if q.w == 0 {
				q.w = ix.unknown
			}
		}
	}
	for i := range qn.toks {
		q := &qn.toks[i]
		if q.legal && content > 0 {
			continue
		}
		for _, h := range q.hits {
			t := &ix.terms[h.term]
			if t.df > ix.maxDF {
				freq = append(freq, freqHit{i, h.term, h.sim * q.w})
				continue
			}
			add(t.postings, h.sim*q.w)
		}
		if id, ok := ix.termID[q.s]; ok {
			if js := ix.terms[id].joins; len(js) <= int(ix.maxDF) {
				add(js, joinFactor*q.w)
			}
		}
	}
	for i := range qn.pairs {
		if id, ok := ix.termID[qn.pairs[i].s]; ok {
			if t := &ix.terms[id]; t.df > 0 && t.df <= ix.maxDF {
				add(t.postings, joinFactor*(qn.toks[i].w+qn.toks[i+1].w))
			}
		}
	}
	qn.total = 0
	for _, q := range qn.toks {
		if !q.legal || content == 0 {
			qn.total += q.w
		}
	}
	// Frequent tokens add to names found otherwise, and find names only
	// together: "al" alone never makes a candidate, "al" and "mohammed"
	// together do.
	for _, f := range freq {
		for _, n := range ix.terms[f.term].postings {
			if sc.acc[n] > 0 {
				sc.acc[n] += f.w
			}
		}
	}
	if len(freq) >= 2 {
		sort.Slice(freq, func(i, j int) bool {
			return len(ix.terms[freq[i].term].postings) < len(ix.terms[freq[j].term].postings)
		})
		a := freq[0]
		for _, b := range freq[1:] {
			if b.q == a.q {
				continue
			}
			pa, pb := ix.terms[a.term].postings, ix.terms[b.term].postings
			for x, y := 0, 0; x < len(pa) && y < len(pb); {
				switch {
				case pa[x] < pb[y]:
					x++
				case pa[x] > pb[y]:
					y++
				default:
					n := pa[x]
					if sc.acc[n] == 0 {
						sc.touched = append(sc.touched, n)
						sc.acc[n] = a.w + b.w
					}
					x++
					y++
				}
			}
			break
		}
	} else if len(freq) == 1 && len(sc.touched) == 0 {
		// One common token on its own: only a name that is that token
		// alone can match it.
		for _, n := range ix.terms[freq[0].term].postings {
			if len(ix.names[n].toks) == 1 {
				sc.touched = append(sc.touched, n)
				sc.acc[n] = freq[0].w
			}
		}
	}
	out = out[:0]
	var top float32
	for _, n := range sc.touched {
		if sc.acc[n] > top {
			top = sc.acc[n]
		}
	}
	// acc bounds the query share a name can explain; names that cannot
	// reach the report floor are not scored.
	floor := max(top*0.34, qn.total*candidateFloor)
	for _, n := range sc.touched {
		if sc.acc[n] >= floor {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b int32) int {
		switch x, y := sc.acc[a], sc.acc[b]; {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return int(a - b)
	})
	for _, n := range sc.touched {
		sc.acc[n] = 0
	}
	sc.touched = sc.touched[:0]
	if len(out) > maxCandidates {
		out = out[:maxCandidates]
	}
	return out
}

// matchTerms appends the terms a query token may stand for: itself, its
// typos (by deletion neighbourhood), its Korean romanisations and surname
// class, and its transliteration skeleton.
func (ix *Index) matchTerms(q *qtok, out []int32) []int32 {
	if id, ok := ix.termID[q.s]; ok && ix.terms[id].df > 0 {
		out = append(out, id)
	}
	if q.alt != "" {
		if id, ok := ix.termID[q.alt]; ok && ix.terms[id].df > 0 {
			out = append(out, id)
		}
	}
	if len(q.s) == 1 {
		return out
	}
	if k := editBudget(len(q.s)); k > 0 {
		deletions(q.s, k, func(h uint64) {
			i := sort.Search(len(ix.dels), func(i int) bool { return ix.dels[i].h >= h })
			for ; i < len(ix.dels) && ix.dels[i].h == h; i++ {
				out = append(out, ix.dels[i].id)
			}
		})
	}
	if q.kkey != "" {
		out = append(out, ix.byKKey[q.kkey]...)
	}
	if q.surname != "" {
		out = append(out, ix.bySurn[q.surname]...)
	}
	if q.phon != "" {
		out = append(out, ix.byPhon[q.phon]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// scoreName aligns a query name with a listed name and returns the name
// score; with explain it also returns the chosen token pairs.
func (ix *Index) scoreName(qn *qname, r *nameRec, sc *scratch, explain bool) (float64, []edge) {
	edges := sc.edges[:0]
	lw := func(j int) float32 {
		if r.legal&(1<<j) != 0 {
			return 0
		}
		return ix.terms[r.toks[j]].w
	}
	qw := func(i int) float32 {
		if qn.toks[i].legal {
			return 0
		}
		return qn.toks[i].w
	}
	for i := range qn.toks {
		q := &qn.toks[i]
		for j, tid := range r.toks {
			t := &ix.terms[tid]
			sim, rule := q.lookup(tid, t)
			if sim == 0 {
				continue
			}
			wl := lw(j)
			if rule == ruleInitial && len(t.s) > 1 {
				wl = min(wl, 1)
			}
			edges = append(edges, edge{qmask: 1 << i, lmask: 1 << j, sim: sim, wq: qw(i), wl: wl, rule: rule})
		}
		// one query token for two listed ones, in either order of the name
		n := len(r.toks)
		for _, rot := range [2]int{0, int(r.rot)} {
			for p := 0; p+1 < n; p++ {
				ja, jb := (p+rot)%n, (p+1+rot)%n
				if rot > 0 && jb == rot%n {
					continue // the seam of the rotation is the listed order's own pair
				}
				if sim := joinSim(q, &ix.terms[r.toks[ja]], &ix.terms[r.toks[jb]]); sim > 0 {
					edges = append(edges, edge{qmask: 1 << i, lmask: 1<<ja | 1<<jb, sim: sim, wq: qw(i), wl: lw(ja) + lw(jb), rule: ruleJoined})
				}
			}
			if r.rot == 0 {
				break
			}
		}
	}
	// two query tokens for one listed token
	for i := range qn.pairs {
		p := &qn.pairs[i]
		for j, tid := range r.toks {
			t := &ix.terms[tid]
			if d := len(p.s) - len(t.s); d > 2 || d < -2 || p.s[0] != t.s[0] && (p.kkey == "" || t.kkey == "") {
				continue
			}
			sim, rule := tokSim(p, t)
			if sim == 0 || rule == ruleInitial || rule == rulePhonetic {
				continue
			}
			edges = append(edges, edge{qmask: 3 << i, lmask: 1 << j, sim: sim * joinFactor, wq: qw(i) + qw(i+1), wl: lw(j), rule: ruleJoined})
		}
	}
	// Strongest rule first, then the heavier pair: an exact token is never
	// given up for a typo that covers more.
	slices.SortFunc(edges, func(a, b edge) int {
		if a.sim != b.sim {
			if a.sim > b.sim {
				return -1
			}
			return 1
		}
		va, vb := a.wq+a.wl, b.wq+b.wl
		switch {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return 0
	})
	var usedQ, usedL uint64
	var mq, ml, lmatched float32
	chosen := edges[:0]
	for _, e := range edges {
		if e.qmask&usedQ != 0 || e.lmask&usedL != 0 {
			continue
		}
		usedQ |= e.qmask
		usedL |= e.lmask
		mq += e.sim * e.wq
		ml += e.sim * e.wl
		lmatched += e.wl
		chosen = append(chosen, e)
	}
	// Second pass: tokens still alone on both sides may be a heavier
	// misspelling than the typo budget allows ("Misws" for "Moises"); they
	// earn partial credit by their edit distance.
	for i := range qn.toks {
		q := &qn.toks[i]
		if usedQ&(1<<i) != 0 || len(q.s) < 3 || q.legal {
			continue
		}
		bestJ, bestSim := -1, float32(0)
		for j, tid := range r.toks {
			t := &ix.terms[tid]
			if usedL&(1<<j) != 0 || len(t.s) < 3 || t.s[0] != q.s[0] {
				continue // a misspelling seldom touches the first letter
			}
			n := max(len(q.s), len(t.s))
			if n < 4 {
				continue
			}
			k := editBudget(n) + 1
			d := osa(q.s, t.s, k)
			if d > k || 5*d >= 2*n {
				continue // beyond one edit over budget, or 40 % of the token
			}
			if sim := looseFactor * (1 - typoCost*float32(d)/float32(n)); sim > bestSim {
				bestJ, bestSim = j, sim
			}
		}
		if bestJ >= 0 && bestSim >= looseMin {
			e := edge{qmask: 1 << i, lmask: 1 << bestJ, sim: bestSim, wq: qw(i), wl: lw(bestJ), rule: ruleTypo}
			usedQ |= e.qmask
			usedL |= e.lmask
			mq += e.sim * e.wq
			ml += e.sim * e.wl
			lmatched += e.wl
			chosen = append(chosen, e)
		}
	}
	sc.edges = edges
	qt, lt := qn.total, r.total
	if qt == 0 || lt == 0 {
		return 0, nil
	}
	// Middle names the query left out weigh half: lists carry patronymics
	// and second given names that people rarely write.
	if m := r.middle &^ usedL; m != 0 {
		for j := range r.toks {
			if m&(1<<j) != 0 {
				lt -= middleDiscount * lw(j)
			}
		}
	}
	// cq: how much of the query is explained, fuzzy tokens counting at
	// their similarity; cov: how much of the listed name is covered at all
	// (a fuzzy token has paid in cq already).
	cq, cov := float64(mq/qt), float64(lmatched/lt)
	s := cq * math.Pow(min(cov, 1), coverExp)
	if s > 1 {
		s = 1
	}
	if r.weak {
		s *= weakFactor
	}
	if !explain {
		return s, nil
	}
	out := make([]edge, len(chosen))
	copy(out, chosen)
	for k := range out {
		out[k].qs = maskTokens(out[k].qmask, func(i int) string { return qn.toks[i].s })
		out[k].ls = maskTokens(out[k].lmask, func(j int) string { return ix.terms[r.toks[j]].s })
	}
	for i := range qn.toks {
		if usedQ&(1<<i) == 0 {
			rule := ruleNone
			out = append(out, edge{qmask: 1 << i, qs: qn.toks[i].s, rule: uint8(rule), wq: qw(i)})
		}
	}
	for j := range r.toks {
		if usedL&(1<<j) == 0 {
			out = append(out, edge{lmask: 1 << j, ls: ix.terms[r.toks[j]].s, wl: lw(j)})
		}
	}
	return s, out
}

func maskTokens(m uint64, tok func(int) string) string {
	var parts []string
	for i := 0; i < 64 && m != 0; i++ {
		if m&(1<<i) != 0 {
			parts = append(parts, tok(i))
			m &^= 1 << i
		}
	}
	return strings.Join(parts, " ")
}
