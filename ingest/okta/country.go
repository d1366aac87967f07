package okta

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Okta's geographicalContext.country is an English country name
// ("Canada", "United States", "South Korea"), from its geo-IP provider.
// molehunt.Geo wants ISO 3166-1 alpha-2, so names are looked up in CLDR's
// English region names plus the spellings geo-IP vendors use; a name that
// is not found is kept as Okta wrote it.

var (
	countryOnce  sync.Once
	countryNames map[string]string
)

// countryAliases are names geo-IP databases and older ISO lists use that
// CLDR names differently.
var countryAliases = map[string]string{
	"united states of america":               "US",
	"usa":                                    "US",
	"hong kong":                              "HK",
	"macau":                                  "MO",
	"macao":                                  "MO",
	"czech republic":                         "CZ",
	"republic of korea":                      "KR",
	"korea, republic of":                     "KR",
	"korea":                                  "KR",
	"democratic people's republic of korea":  "KP",
	"korea, democratic people's republic of": "KP",
	"russian federation":                     "RU",
	"viet nam":                               "VN",
	"iran, islamic republic of":              "IR",
	"syrian arab republic":                   "SY",
	"lao people's democratic republic":       "LA",
	"turkey":                                 "TR",
	"türkiye":                                "TR",
	"ivory coast":                            "CI",
	"cote d'ivoire":                          "CI",
	"myanmar":                                "MM",
	"burma":                                  "MM",
	"republic of moldova":                    "MD",
	"moldova, republic of":                   "MD",
	"tanzania, united republic of":           "TZ",
	"congo, the democratic republic of the":  "CD",
	"democratic republic of the congo":       "CD",
	"republic of the congo":                  "CG",
	"palestine":                              "PS",
	"taiwan, province of china":              "TW",
	"venezuela, bolivarian republic of":      "VE",
	"bolivia, plurinational state of":        "BO",
	"united kingdom of great britain and northern ireland": "GB",
	"great britain":               "GB",
	"netherlands, kingdom of the": "NL",
	"north macedonia":             "MK",
	"eswatini":                    "SZ",
}

// countryCode returns the ISO 3166-1 alpha-2 code of an English country
// name or code, or name itself (trimmed) when it is not known.
func countryCode(name string) string {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "null") || strings.EqualFold(name, "unknown") {
		return ""
	}
	countryOnce.Do(func() {
		countryNames = make(map[string]string, 400)
		namer := display.English.Regions()
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				r, err := language.ParseRegion(string([]rune{a, b}))
				if err != nil || !r.IsCountry() || r.Canonicalize() != r {
					continue
				}
				countryNames[foldCountry(namer.Name(r))] = r.String()
			}
		}
		for k, v := range countryAliases {
			countryNames[foldCountry(k)] = v
		}
	})
	if code, ok := countryNames[foldCountry(name)]; ok {
		return code
	}
	if len(name) == 2 {
		if r, err := language.ParseRegion(name); err == nil && r.IsCountry() {
			return r.Canonicalize().String()
		}
	}
	return name
}

// foldCountry lower-cases a name and spells out "&" and "St.", which CLDR
// abbreviates and geo-IP vendors do not.
func foldCountry(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "&", "and")
	s = strings.ReplaceAll(s, "st. ", "saint ")
	return strings.Join(strings.Fields(s), " ")
}
