package screening

import (
	"context"
	"slices"
	"strings"

	"molehunt"
)

// entryHit is the best name of one entry for a query.
type entryHit struct {
	entry int32
	name  int32
	qn    int
	score float64
	ident string
}

// Screen checks one party against the index. It implements
// molehunt.Screener: matches come best first, at most the limit, and each
// carries its name score, its overall score and the explanations.
func (ix *Index) Screen(ctx context.Context, q molehunt.ScreenQuery) (molehunt.ScreenResult, error) {
	const op = "screening.Screen"
	if err := ctx.Err(); err != nil {
		return molehunt.ScreenResult{}, &molehunt.Error{Code: molehunt.EUnavailable, Op: op, Message: "cancelled", Err: err}
	}
	threshold := q.Threshold
	if threshold == 0 {
		threshold = ix.opts.Threshold
	}
	if threshold < 0 || threshold > 1 {
		return molehunt.ScreenResult{}, molehunt.Errorf(molehunt.EInvalid, op, "threshold %v outside [0,1]", threshold)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = ix.opts.Limit
	}
	hasName := false
	for _, n := range q.Names {
		if strings.TrimSpace(n) != "" {
			hasName = true
		}
	}
	if !hasName && len(q.Identifiers) == 0 {
		return molehunt.ScreenResult{}, molehunt.Errorf(molehunt.EInvalid, op, "a name or an identifier is required")
	}
	sc := ix.pool.Get().(*scratch)
	defer ix.pool.Put(sc)

	hits := map[int32]*entryHit{}
	var qns []qname
	var cands []int32
	for _, raw := range q.Names {
		qn := ix.prepare(raw, q.Type)
		if len(qn.toks) == 0 {
			continue
		}
		qns = append(qns, qn)
		qi := len(qns) - 1
		cands = ix.candidates(&qns[qi], sc, cands)
		for _, nid := range cands {
			r := &ix.names[nid]
			if !ix.allowed(r.entry, q) {
				continue
			}
			s, _ := ix.scoreName(&qns[qi], r, sc, false)
			if s < reportFloor {
				continue
			}
			if h := hits[r.entry]; h == nil {
				hits[r.entry] = &entryHit{entry: r.entry, name: nid, qn: qi, score: s}
			} else if s > h.score {
				h.name, h.qn, h.score = nid, qi, s
			}
		}
	}
	for _, id := range q.Identifiers {
		for _, key := range identKeys(id) {
			for _, ei := range ix.idents[key] {
				if !ix.allowed(ei, q) {
					continue
				}
				h := hits[ei]
				if h == nil {
					h = &entryHit{entry: ei, name: -1, qn: -1}
					hits[ei] = h
				}
				h.ident = id
			}
		}
	}
	ms := make([]molehunt.Match, 0, len(hits))
	for _, h := range hits {
		ms = append(ms, ix.buildMatch(h, qns, q, threshold, sc, false))
	}
	slices.SortFunc(ms, func(a, b molehunt.Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		case a.NameScore > b.NameScore:
			return -1
		case a.NameScore < b.NameScore:
			return 1
		}
		return strings.Compare(a.EntryID, b.EntryID)
	})
	if len(ms) > limit {
		ms = ms[:limit]
	}
	for i := range ms {
		// Explanations only for what is returned.
		h := hits[ix.byID[ms[i].EntryID]]
		ms[i] = ix.buildMatch(h, qns, q, threshold, sc, true)
	}
	return molehunt.ScreenResult{Matches: ms, Threshold: threshold, Lists: ix.Lists()}, nil
}

// allowed applies the query's list and type filters to an entry: a person
// is never a vessel or an aircraft.
func (ix *Index) allowed(ei int32, q molehunt.ScreenQuery) bool {
	e := &ix.entries[ei]
	if len(q.Lists) > 0 && !slices.Contains(q.Lists, e.List) {
		return false
	}
	switch q.Type {
	case molehunt.EntityPerson, molehunt.EntityOrganization:
		if e.Type == molehunt.EntityVessel || e.Type == molehunt.EntityAircraft {
			return false
		}
	case molehunt.EntityVessel, molehunt.EntityAircraft:
		if e.Type == molehunt.EntityPerson {
			return false
		}
	}
	return true
}

func (ix *Index) buildMatch(h *entryHit, qns []qname, q molehunt.ScreenQuery, threshold float64, sc *scratch, explain bool) molehunt.Match {
	e := &ix.entries[h.entry]
	m := molehunt.Match{
		EntryID:  molehunt.EntryID(e.List, e.SourceID),
		SourceID: e.SourceID,
		List:     e.List,
		Caption:  e.Caption(),
		Type:     e.Type,
		Programs: e.Programs,
		Entry:    e,
	}
	if e.ID != "" {
		m.EntryID = e.ID
	}
	var ex []molehunt.Explanation
	if h.name >= 0 {
		r := &ix.names[h.name]
		m.MatchedName = r.full
		m.NameScore = round(h.score)
		if explain {
			_, edges := ix.scoreName(&qns[h.qn], r, sc, true)
			ex = append(ex, molehunt.Explanation{Feature: "name", Query: qns[h.qn].raw, Listed: r.full, Rule: nameRule(r), Score: m.NameScore})
			for _, ed := range edges {
				ex = append(ex, edgeExplanation(ed))
			}
		}
	}
	score := h.score
	if q.Type != "" && e.Type != "" && q.Type != e.Type {
		score *= typeFactor
		if explain {
			ex = append(ex, molehunt.Explanation{Feature: "type", Query: string(q.Type), Listed: string(e.Type), Rule: "type_mismatch", Score: typeFactor})
		}
	}
	if adj, x, ok := dobEffect(q.BirthDates, e.BirthDates); ok {
		score += adj
		if explain {
			ex = append(ex, x)
		}
	}
	if adj, x, ok := countryEffect(q.Countries, e); ok {
		score += adj
		if explain {
			ex = append(ex, x)
		}
	}
	if h.ident != "" {
		score = 1
		if explain {
			ex = append(ex, molehunt.Explanation{Feature: "identifier", Query: h.ident, Listed: h.ident, Rule: "identifier", Score: 1})
		}
	}
	m.Score = round(clamp01(score))
	m.IsMatch = m.Score >= threshold
	if explain {
		m.Explanations = ex
	}
	return m
}

func nameRule(r *nameRec) string {
	switch {
	case r.weak:
		return "weak_alias"
	case r.kind == molehunt.NameOriginalScript:
		return "original_script"
	case r.kind == molehunt.NamePrimary || r.kind == "":
		return "primary"
	}
	return "alias"
}

func edgeExplanation(e edge) molehunt.Explanation {
	x := molehunt.Explanation{Feature: "token", Query: e.qs, Listed: e.ls, Score: round(float64(e.sim))}
	switch {
	case e.rule != ruleNone:
		x.Rule = ruleNames[e.rule]
		if e.wq == 0 && e.wl == 0 {
			x.Rule = "legal_form"
		}
	case e.wq == 0 && e.wl == 0:
		x.Rule = "legal_form"
	case e.qs == "":
		x.Rule = "listed_only"
	default:
		x.Rule = "query_only"
	}
	return x
}

func round(f float64) float64 { return float64(int64(f*10000+0.5)) / 10000 }

func clamp01(f float64) float64 {
	switch {
	case f < 0:
		return 0
	case f > 1:
		return 1
	}
	return f
}

// identKeys gives the forms under which an identifier may be indexed: as
// written (wallets are exact), as a document number, an e-mail, a phone.
func identKeys(s string) []string {
	s = strings.TrimSpace(s)
	keys := []string{s}
	if d := normDocument(s); d != s {
		keys = append(keys, d)
	}
	if strings.Contains(s, "@") {
		keys = append(keys, strings.ToLower(s))
	}
	if p := normPhone(s); len(p) >= 7 && p != s {
		keys = append(keys, p)
	}
	return keys
}
