package screening

import (
	"strconv"
	"strings"

	"molehunt"
)

// Effects of the listed party's own attributes on the overall score.
const (
	dobMatchDay   = 0.05  // same full date of birth
	dobMatchYear  = 0.02  // same year (or month) where one side is partial
	dobContradict = -0.15 // every listed date differs by more than a year
	countryMatch  = 0.03
	countryMiss   = -0.03
)

// dobEffect compares the query's birth dates with the listed ones. Dates
// are ISO prefixes ("1984", "1984-01", "1984-01-08"); two are compatible
// when one is a prefix of the other.
func dobEffect(qd, ld []string) (float64, molehunt.Explanation, bool) {
	if len(qd) == 0 || len(ld) == 0 {
		return 0, molehunt.Explanation{}, false
	}
	best := dobContradict
	var bq, bl string
	near := false
	for _, q := range qd {
		q = strings.TrimSpace(q)
		for _, l := range ld {
			l = strings.TrimSpace(l)
			if q == "" || l == "" {
				continue
			}
			switch {
			case q == l && len(q) >= 10:
				if dobMatchDay > best {
					best, bq, bl = dobMatchDay, q, l
				}
			case strings.HasPrefix(q, l) || strings.HasPrefix(l, q):
				if dobMatchYear > best {
					best, bq, bl = dobMatchYear, q, l
				}
			default:
				yq, eq := strconv.Atoi(q[:min(4, len(q))])
				yl, el := strconv.Atoi(l[:min(4, len(l))])
				if eq == nil && el == nil && yq-yl <= 1 && yl-yq <= 1 {
					near = true
					if bq == "" {
						bq, bl = q, l
					}
				}
			}
		}
	}
	if best == dobContradict && near {
		return 0, molehunt.Explanation{Feature: "birth_date", Query: bq, Listed: bl, Rule: "near", Score: 0}, true
	}
	if bq == "" {
		bq, bl = qd[0], ld[0]
	}
	rule := "match"
	if best < 0 {
		rule = "contradicts"
	}
	return best, molehunt.Explanation{Feature: "birth_date", Query: bq, Listed: bl, Rule: rule, Score: best}, true
}

// countryEffect compares the places the query names with the listed
// party's own: addresses, nationalities, citizenships and places of birth.
// It is never about the query subject's nationality, which screening does
// not take.
func countryEffect(qc []string, e *molehunt.ListEntry) (float64, molehunt.Explanation, bool) {
	if len(qc) == 0 {
		return 0, molehunt.Explanation{}, false
	}
	var listed []string
	for _, a := range e.Addresses {
		if a.Country != "" {
			listed = append(listed, a.Country)
		}
	}
	listed = append(listed, e.Nationalities...)
	listed = append(listed, e.Citizenships...)
	listed = append(listed, e.BirthPlaces...)
	if len(listed) == 0 {
		return 0, molehunt.Explanation{}, false
	}
	for _, q := range qc {
		qn := countryName(q)
		if qn == "" {
			continue
		}
		for _, l := range listed {
			ln := " " + NormalizeName(l) + " "
			if strings.Contains(ln, " "+qn+" ") || countryName(l) == qn {
				return countryMatch, molehunt.Explanation{Feature: "country", Query: q, Listed: l, Rule: "match", Score: countryMatch}, true
			}
		}
	}
	return countryMiss, molehunt.Explanation{Feature: "country", Query: strings.Join(qc, ", "), Listed: strings.Join(listed, ", "), Rule: "no_match", Score: countryMiss}, true
}

// countryName folds a country code or name to the normalised name the
// lists use, for the codes that matter most in screening.
func countryName(s string) string {
	n := NormalizeName(s)
	if c, ok := countryCodes[n]; ok {
		return c
	}
	return n
}

var countryCodes = map[string]string{
	"kp": "korea north", "prk": "korea north", "north korea": "korea north", "dprk": "korea north",
	"democratic peoples republic of korea": "korea north",
	"kr":                                   "korea south", "kor": "korea south", "south korea": "korea south", "republic of korea": "korea south",
	"ru": "russia", "rus": "russia", "russian federation": "russia",
	"ir": "iran", "irn": "iran", "sy": "syria", "syr": "syria", "cu": "cuba", "cub": "cuba",
	"cn": "china", "chn": "china", "by": "belarus", "blr": "belarus", "ve": "venezuela", "ven": "venezuela",
	"iq": "iraq", "irq": "iraq", "lb": "lebanon", "lbn": "lebanon", "af": "afghanistan", "afg": "afghanistan",
	"ye": "yemen", "yem": "yemen", "so": "somalia", "som": "somalia", "sd": "sudan", "sdn": "sudan",
	"ly": "libya", "lby": "libya", "mm": "burma", "mmr": "burma", "myanmar": "burma", "ua": "ukraine",
	"ukr": "ukraine", "ae": "united arab emirates", "are": "united arab emirates", "uae": "united arab emirates",
	"tr": "turkey", "tur": "turkey", "turkiye": "turkey", "us": "united states", "usa": "united states",
	"gb": "united kingdom", "uk": "united kingdom", "gbr": "united kingdom", "de": "germany", "deu": "germany",
	"fr": "france", "fra": "france", "hk": "hong kong", "hkg": "hong kong", "mx": "mexico", "mex": "mexico",
	"co": "colombia", "col": "colombia", "pk": "pakistan", "pak": "pakistan", "in": "india", "ind": "india",
	"sg": "singapore", "sgp": "singapore", "my": "malaysia", "mys": "malaysia", "th": "thailand",
	"vn": "vietnam", "vnm": "vietnam", "la": "laos", "kh": "cambodia", "ng": "nigeria", "ke": "kenya",
}
