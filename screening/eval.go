package screening

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"molehunt"
)

// LabelledQuery is one line of a screening evaluation set: a name as a user
// would type it and the OFAC SDN ent_num it should find (nil for a name on
// no list).
type LabelledQuery struct {
	Query       string  `json:"query"`
	ExpectedUID *string `json:"expected_uid"`
	Variant     string  `json:"variant"`
	Type        string  `json:"type"`
	Origin      string  `json:"origin"`
	ListedName  string  `json:"listed_name"`
}

// ReadLabelled reads an evaluation set in JSON Lines; blank lines are
// skipped and a bad line is a *molehunt.RecordError naming it.
func ReadLabelled(r io.Reader) ([]LabelledQuery, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	var out []LabelledQuery
	line := 0
	for sc.Scan() {
		line++
		b := strings.TrimSpace(sc.Text())
		if b == "" {
			continue
		}
		var q LabelledQuery
		if err := json.Unmarshal([]byte(b), &q); err != nil {
			return nil, &molehunt.RecordError{Record: fmt.Sprintf("line %d", line), Err: err}
		}
		if strings.TrimSpace(q.Query) == "" {
			return nil, &molehunt.RecordError{Record: fmt.Sprintf("line %d", line), Field: "query", Err: fmt.Errorf("empty")}
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, &molehunt.RecordError{Record: fmt.Sprintf("line %d", line+1), Err: err}
	}
	return out, nil
}

// EvalReport is the outcome of an evaluation run.
type EvalReport struct {
	Threshold    float64
	Positives    int
	Negatives    int
	Found        int // positives whose expected entry came back at or above the threshold
	FalseHits    int // negatives with any result at or above the threshold
	Recall       float64
	FalseHitRate float64
	ByVariant    []EvalRow // positives: hit = found; negatives: hit = false hit
	ByOrigin     []EvalRow // negatives by name origin: hit = false hit
	Misses       []EvalMiss
	FalseHitList []EvalMiss
}

// EvalRow is one line of a breakdown.
type EvalRow struct {
	Key  string
	N    int
	Hits int
	Rate float64
}

// EvalMiss is one positive that was not found or one negative that hit:
// the query, what was expected, and the best result with its score.
type EvalMiss struct {
	Query         string
	Variant       string
	Origin        string
	Expected      string  // expected SDN ent_num, "" for a negative
	ListedName    string  // the listed name the query was made from
	ExpectedScore float64 // score of the expected entry if it was returned at all
	Best          string  // entry id of the best result
	BestName      string  // its matched name
	BestScore     float64
}

// Evaluate screens every query with s at threshold and measures recall on
// the positives and the false-hit rate on the negatives.
func Evaluate(ctx context.Context, s molehunt.Screener, qs []LabelledQuery, threshold float64) (EvalReport, error) {
	rep := EvalReport{Threshold: threshold}
	type acc struct{ n, hits int }
	byVar := map[string]*acc{}
	byOrig := map[string]*acc{}
	bump := func(m map[string]*acc, k string, hit bool) {
		a := m[k]
		if a == nil {
			a = &acc{}
			m[k] = a
		}
		a.n++
		if hit {
			a.hits++
		}
	}
	for _, lq := range qs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		q := molehunt.ScreenQuery{Names: []string{lq.Query}, Threshold: threshold}
		switch lq.Type {
		case "business", "organization", "organisation":
			q.Type = molehunt.EntityOrganization
		case "person", "individual":
			q.Type = molehunt.EntityPerson
		}
		res, err := s.Screen(ctx, q)
		if err != nil {
			return rep, fmt.Errorf("screen %q: %w", lq.Query, err)
		}
		miss := EvalMiss{Query: lq.Query, Variant: lq.Variant, Origin: lq.Origin, ListedName: lq.ListedName}
		if len(res.Matches) > 0 {
			b := res.Matches[0]
			miss.Best, miss.BestName, miss.BestScore = b.EntryID, b.MatchedName, b.Score
		}
		if lq.ExpectedUID != nil {
			rep.Positives++
			miss.Expected = *lq.ExpectedUID
			found := false
			for _, m := range res.Matches {
				if m.List == molehunt.ListOFACSDN && m.SourceID == *lq.ExpectedUID {
					miss.ExpectedScore = m.Score
					found = m.Score >= threshold
					break
				}
			}
			bump(byVar, lq.Variant, found)
			if found {
				rep.Found++
			} else {
				rep.Misses = append(rep.Misses, miss)
			}
			continue
		}
		rep.Negatives++
		hit := len(res.Matches) > 0 && res.Matches[0].Score >= threshold
		bump(byVar, lq.Variant, hit)
		origin := lq.Origin
		if origin == "" {
			origin = strings.TrimPrefix(lq.Variant, "negative_")
		}
		bump(byOrig, origin, hit)
		if hit {
			rep.FalseHits++
			rep.FalseHitList = append(rep.FalseHitList, miss)
		}
	}
	if rep.Positives > 0 {
		rep.Recall = float64(rep.Found) / float64(rep.Positives)
	}
	if rep.Negatives > 0 {
		rep.FalseHitRate = float64(rep.FalseHits) / float64(rep.Negatives)
	}
	rows := func(m map[string]*acc) []EvalRow {
		out := make([]EvalRow, 0, len(m))
		for k, a := range m {
			out = append(out, EvalRow{Key: k, N: a.n, Hits: a.hits, Rate: float64(a.hits) / float64(a.n)})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
		return out
	}
	rep.ByVariant = rows(byVar)
	rep.ByOrigin = rows(byOrig)
	return rep, nil
}
