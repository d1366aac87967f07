package ident

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"molehunt"
)

// NormalAddress is a postal address in canonical form.
type NormalAddress struct {
	// Full is the whole address: street line with the unit moved to its
	// end, city, region, postal code, country, joined by ", ". It is the
	// IDPostalAddress value: two records with equal Full name one dwelling.
	Full string
	// Residence is Full without the unit (apartment, suite, floor, ...):
	// equal Residence keys are the same building, which is how a laptop
	// farm hides shipments behind different apartment numbers.
	Residence string
	// Unit is the unit part alone, "APT 4B", or "".
	Unit string
}

// Address normalises a postal address in the manner of USPS Publication 28:
// upper-case ASCII (accents folded), punctuation removed, street suffixes,
// directions, ordinals and unit designators abbreviated (STREET → ST,
// AVENUE → AVE, NORTH → N, APARTMENT and # → APT, SUITE → STE, ...), the
// unit moved to the end of the street line, US state names shortened to
// their codes, US ZIP+4 cut to five digits and common country names turned
// into ISO codes. Abbreviation is applied everywhere, not only in the
// suffix position, because the result is a key: it must be the same
// however the address was typed, not pretty.
func Address(a molehunt.Address) (NormalAddress, error) {
	street, unit := streetLine(a.Street)
	country := countryCode(a.Country)
	city := strings.Join(tokens(a.City), " ")
	region := strings.Join(tokens(a.Region), " ")
	if country == "US" || country == "" {
		if code, ok := usStates[region]; ok {
			region = code
		}
	}
	postal := strings.Join(tokens(a.PostalCode), " ")
	if (country == "US" || country == "") && len(postal) == 10 && postal[5] == '-' && isDigits(postal[:5]) && isDigits(postal[6:]) {
		postal = postal[:5]
	}
	if street == "" && unit == "" {
		return NormalAddress{}, invalid("ident.Address", "no street line")
	}
	join := func(parts ...string) string {
		var keep []string
		for _, p := range parts {
			if p != "" {
				keep = append(keep, p)
			}
		}
		return strings.Join(keep, ", ")
	}
	line := street
	if unit != "" {
		line = strings.TrimSpace(street + " " + unit)
	}
	return NormalAddress{
		Full:      join(line, city, region, postal, country),
		Residence: join(street, city, region, postal, country),
		Unit:      unit,
	}, nil
}

// AddressLine normalises an address written on one line; only the street
// part is understood, the rest is kept in order.
func AddressLine(s string) (NormalAddress, error) {
	return Address(molehunt.Address{Street: s})
}

// tokens folds s to upper-case ASCII-ish words: accents removed, dots and
// apostrophes dropped, '#' split off as its own token, other punctuation except
// '-' and '/' turned into spaces.
func tokens(s string) []string {
	// A transform.Chain holds state, so each call builds its own.
	fold := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(fold, strings.ToValidUTF8(s, " "))
	if err != nil {
		folded = s
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(folded) {
		switch {
		case r == '.' || r == '\'' || r == '’':
		case r == '#':
			b.WriteString(" # ")
		case r == '-' || r == '/' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// streetLine returns the normalised street part and unit part of a street
// line.
func streetLine(s string) (street, unit string) {
	toks := tokens(s)
	var st, un []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		// "P O BOX", "POST OFFICE BOX" → "PO BOX".
		if (t == "P" && i+2 < len(toks) && toks[i+1] == "O" && toks[i+2] == "BOX") ||
			(t == "POST" && i+2 < len(toks) && toks[i+1] == "OFFICE" && toks[i+2] == "BOX") {
			st = append(st, "PO")
			i++
			continue
		}
		if d, ok := unitDesignators[t]; ok {
			un = append(un, d)
			if i+1 < len(toks) {
				if _, next := unitDesignators[toks[i+1]]; !next {
					un = append(un, strings.TrimPrefix(toks[i+1], "#"))
					i++
				}
			}
			continue
		}
		if u, ok := unitsWithoutNumber[t]; ok {
			un = append(un, u)
			continue
		}
		if a, ok := abbreviations[t]; ok {
			t = a
		}
		st = append(st, t)
	}
	return strings.Join(st, " "), strings.Join(un, " ")
}

// unitDesignators are USPS secondary unit designators that take a number.
var unitDesignators = map[string]string{
	"#": "APT", "APT": "APT", "APARTMENT": "APT", "APPT": "APT",
	"STE": "STE", "SUITE": "STE", "UNIT": "UNIT", "BLDG": "BLDG", "BUILDING": "BLDG",
	"FL": "FL", "FLOOR": "FL", "RM": "RM", "ROOM": "RM", "DEPT": "DEPT", "DEPARTMENT": "DEPT",
	"LOT": "LOT", "SPC": "SPC", "SPACE": "SPC", "TRLR": "TRLR", "TRAILER": "TRLR",
	"PH": "PH", "PENTHOUSE": "PH", "HNGR": "HNGR", "HANGAR": "HNGR", "PIER": "PIER",
	"SLIP": "SLIP", "STOP": "STOP", "KEY": "KEY",
}

// unitsWithoutNumber are USPS designators that stand alone.
var unitsWithoutNumber = map[string]string{
	"BSMT": "BSMT", "BASEMENT": "BSMT", "FRNT": "FRNT", "FRONT": "FRNT", "LBBY": "LBBY", "LOBBY": "LBBY",
	"LOWR": "LOWR", "LOWER": "LOWR", "OFC": "OFC", "OFFICE": "OFC", "REAR": "REAR", "UPPR": "UPPR", "UPPER": "UPPR",
}

// abbreviations are USPS street suffixes, directions and ordinals.
var abbreviations = map[string]string{
	// Street suffixes (Publication 28, appendix C1, the common ones).
	"STREET": "ST", "STR": "ST", "STRT": "ST", "SAINT": "ST",
	"AVENUE": "AVE", "AV": "AVE", "AVEN": "AVE", "AVENU": "AVE", "AVN": "AVE", "AVNUE": "AVE",
	"BOULEVARD": "BLVD", "BOUL": "BLVD", "BOULV": "BLVD",
	"ROAD": "RD", "DRIVE": "DR", "DRIV": "DR", "DRV": "DR", "LANE": "LN", "COURT": "CT",
	"PLACE": "PL", "TERRACE": "TER", "TERR": "TER", "CIRCLE": "CIR", "CIRC": "CIR",
	"PARKWAY": "PKWY", "PARKWY": "PKWY", "PKY": "PKWY", "HIGHWAY": "HWY", "HIGHWY": "HWY", "HIWAY": "HWY",
	"SQUARE": "SQ", "SQR": "SQ", "TRAIL": "TRL", "TRAILS": "TRLS", "PLAZA": "PLZ", "PLZA": "PLZ",
	"ALLEY": "ALY", "ALLEE": "ALY", "CRESCENT": "CRES", "EXPRESSWAY": "EXPY", "EXPRESS": "EXPY",
	"FREEWAY": "FWY", "HEIGHTS": "HTS", "POINT": "PT", "RIDGE": "RDG", "CROSSING": "XING",
	"TURNPIKE": "TPKE", "CENTER": "CTR", "CENTRE": "CTR", "CENTR": "CTR", "COVE": "CV", "CREEK": "CRK",
	"ESTATES": "ESTS", "GARDENS": "GDNS", "GROVE": "GRV", "HILL": "HL", "HOLLOW": "HOLW",
	"JUNCTION": "JCT", "LAKE": "LK", "MEADOWS": "MDWS", "MOUNT": "MT", "MOUNTAIN": "MTN",
	"ORCHARD": "ORCH", "PARK": "PARK", "PASSAGE": "PSGE", "PIKE": "PIKE", "RANCH": "RNCH",
	"ROUTE": "RTE", "RUN": "RUN", "SPRINGS": "SPGS", "SPRING": "SPG", "STATION": "STA",
	"SUMMIT": "SMT", "TRACE": "TRCE", "VALLEY": "VLY", "VIEW": "VW", "VILLAGE": "VLG",
	"VISTA": "VIS", "WALK": "WALK", "WAY": "WAY", "WAYS": "WAYS",
	// Directions.
	"NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
	"NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
	"NORTH-EAST": "NE", "NORTH-WEST": "NW", "SOUTH-EAST": "SE", "SOUTH-WEST": "SW",
	// Ordinal street names.
	"FIRST": "1ST", "SECOND": "2ND", "THIRD": "3RD", "FOURTH": "4TH", "FIFTH": "5TH",
	"SIXTH": "6TH", "SEVENTH": "7TH", "EIGHTH": "8TH", "NINTH": "9TH", "TENTH": "10TH",
}

// countryCode turns a country as written into an ISO 3166-1 alpha-2 code
// when it is a code or a common English name, else its folded form.
func countryCode(s string) string {
	t := strings.Join(tokens(s), " ")
	if len(t) == 2 {
		return t
	}
	if c, ok := countryNames[t]; ok {
		return c
	}
	return t
}

var countryNames = map[string]string{
	"USA": "US", "US": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "AMERICA": "US",
	"CANADA": "CA", "CAN": "CA", "MEXICO": "MX", "MEX": "MX",
	"UNITED KINGDOM": "GB", "UK": "GB", "GREAT BRITAIN": "GB", "GBR": "GB", "ENGLAND": "GB",
	"GERMANY": "DE", "DEU": "DE", "FRANCE": "FR", "FRA": "FR", "SPAIN": "ES", "ITALY": "IT",
	"NETHERLANDS": "NL", "POLAND": "PL", "UKRAINE": "UA", "RUSSIA": "RU", "RUSSIAN FEDERATION": "RU",
	"CHINA": "CN", "CHN": "CN", "JAPAN": "JP", "JPN": "JP", "SOUTH KOREA": "KR", "KOREA REPUBLIC OF": "KR",
	"REPUBLIC OF KOREA": "KR", "KOR": "KR", "NORTH KOREA": "KP", "DPRK": "KP", "PRK": "KP",
	"DEMOCRATIC PEOPLES REPUBLIC OF KOREA": "KP", "KOREA DEMOCRATIC PEOPLES REPUBLIC OF": "KP",
	"VIETNAM": "VN", "VIET NAM": "VN", "PHILIPPINES": "PH", "INDIA": "IN", "IND": "IN",
	"SINGAPORE": "SG", "AUSTRALIA": "AU", "AUS": "AU", "BRAZIL": "BR", "ARGENTINA": "AR",
	"UNITED ARAB EMIRATES": "AE", "UAE": "AE", "LAOS": "LA", "CAMBODIA": "KH", "THAILAND": "TH",
	"MALAYSIA": "MY", "INDONESIA": "ID", "PAKISTAN": "PK", "NIGERIA": "NG", "TAIWAN": "TW", "HONG KONG": "HK",
}

var usStates = map[string]string{
	"ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
	"COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
	"FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
	"INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
	"MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
	"MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
	"NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
	"NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
	"PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
	"TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
	"WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
	"PUERTO RICO": "PR", "GUAM": "GU",
}
