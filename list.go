package molehunt

import (
	"context"
	"fmt"
	"time"
)

// ListName identifies one sanctions list molehunt loads.
type ListName string

// The lists molehunt knows. The value is stable: it appears in result ids,
// stored screening decisions and audit records.
const (
	ListOFACSDN  ListName = "us_ofac_sdn"  // OFAC Specially Designated Nationals
	ListOFACCons ListName = "us_ofac_cons" // OFAC consolidated non-SDN lists
	ListUNSC     ListName = "un_sc"        // UN Security Council consolidated list
	ListUSCSL    ListName = "us_csl"       // US Consolidated Screening List (trade.gov)
	ListEUFSF    ListName = "eu_fsf"       // EU consolidated financial sanctions
	ListUKHMT    ListName = "uk_sanctions" // UK sanctions list (OFSI / FCDO)
)

// EntityType is what kind of party a list entry or a query is.
type EntityType string

// The entity types. Organisation covers companies, groups and other bodies.
const (
	EntityUnknown      EntityType = ""
	EntityPerson       EntityType = "person"
	EntityOrganization EntityType = "organization"
	EntityVessel       EntityType = "vessel"
	EntityAircraft     EntityType = "aircraft"
)

// NameQuality says how much a listed name can be trusted on its own: OFAC
// and the UN mark some aliases "weak" (low quality, often a short or
// common-sounding name) and screening must not treat those as exact hits.
type NameQuality string

// The name qualities.
const (
	NameStrong NameQuality = "strong"
	NameWeak   NameQuality = "weak"
)

// NameKind says what role a name plays on its entry.
type NameKind string

// The name kinds.
const (
	NamePrimary        NameKind = "primary"
	NameAlias          NameKind = "aka"             // also known as
	NameFormerly       NameKind = "fka"             // formerly known as
	NameNow            NameKind = "nka"             // now known as
	NameOriginalScript NameKind = "original_script" // the name in its own script (UN)
)

// Name is one name of a listed party.
type Name struct {
	Full    string      `json:"full"`
	Kind    NameKind    `json:"kind,omitempty"`
	Quality NameQuality `json:"quality,omitempty"`
	// Family and Given are filled when the source separates the parts, which
	// lets screening know the order; Full is always set.
	Family string `json:"family,omitempty"`
	Given  string `json:"given,omitempty"`
}

// Address is a postal address as a list gives it; parts may be empty.
type Address struct {
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
	Note       string `json:"note,omitempty"`
}

// IdentityDocument is a passport, national id, tax number, registration
// number or similar number listed on an entry.
type IdentityDocument struct {
	Type    string `json:"type"`
	Number  string `json:"number"`
	Country string `json:"country,omitempty"`
	Issued  string `json:"issued,omitempty"`
	Expires string `json:"expires,omitempty"`
	Note    string `json:"note,omitempty"`
}

// CryptoAddress is a digital currency address listed on an entry.
type CryptoAddress struct {
	Currency string `json:"currency"`
	Address  string `json:"address"`
}

// ListEntry is one party on a sanctions list, mapped from the list's own
// format. Dates are kept as the list gives them, normalised to ISO 8601
// prefixes: "1984", "1984-01" or "1984-01-08"; a circa date keeps "circa"
// out of the value and sets nothing else.
type ListEntry struct {
	// ID is unique across lists: "<list>-<source id>", e.g. "us_ofac_sdn-12345".
	ID string `json:"id"`
	// SourceID is the list's own identifier (OFAC ent_num, UN DATAID or
	// reference number, EU logical id, UK group id).
	SourceID    string     `json:"source_id"`
	List        ListName   `json:"list"`
	ListVersion string     `json:"list_version"`
	ContentHash string     `json:"content_hash"`
	Type        EntityType `json:"type"`
	Names       []Name     `json:"names"`
	Programs    []string   `json:"programs,omitempty"`
	Title       string     `json:"title,omitempty"`
	BirthDates  []string   `json:"birth_dates,omitempty"`
	BirthPlaces []string   `json:"birth_places,omitempty"`
	// Nationalities and Citizenships describe the listed party only. They
	// may disambiguate a match (the listed person's attributes), and are
	// never compared with a query subject's nationality.
	Nationalities []string           `json:"nationalities,omitempty"`
	Citizenships  []string           `json:"citizenships,omitempty"`
	Addresses     []Address          `json:"addresses,omitempty"`
	Documents     []IdentityDocument `json:"documents,omitempty"`
	Crypto        []CryptoAddress    `json:"crypto,omitempty"`
	Emails        []string           `json:"emails,omitempty"`
	Websites      []string           `json:"websites,omitempty"`
	Phones        []string           `json:"phones,omitempty"`
	Remarks       string             `json:"remarks,omitempty"`
	ListedOn      string             `json:"listed_on,omitempty"`
}

// Caption is the entry's display name: its first primary name.
func (e *ListEntry) Caption() string {
	for _, n := range e.Names {
		if n.Kind == NamePrimary {
			return n.Full
		}
	}
	if len(e.Names) > 0 {
		return e.Names[0].Full
	}
	return e.SourceID
}

// Validate reports the first problem that makes e unusable for screening.
func (e *ListEntry) Validate() error {
	switch {
	case e.List == "":
		return &RecordError{Record: e.SourceID, Field: "list", Err: fmt.Errorf("empty")}
	case e.SourceID == "":
		return &RecordError{Record: e.ID, Field: "source_id", Err: fmt.Errorf("empty")}
	case len(e.Names) == 0:
		return &RecordError{Record: e.SourceID, Field: "names", Err: fmt.Errorf("no name")}
	}
	for i, n := range e.Names {
		if n.Full == "" {
			return &RecordError{Record: e.SourceID, Field: fmt.Sprintf("names[%d]", i), Err: fmt.Errorf("empty name")}
		}
	}
	return nil
}

// EntryID builds the cross-list id of an entry.
func EntryID(list ListName, sourceID string) string { return string(list) + "-" + sourceID }

// ListInfo describes one loaded version of a list, so every screening
// result can name exactly what it was checked against.
type ListInfo struct {
	Name     ListName  `json:"name"`
	Version  string    `json:"version"` // the list's own publication date or, failing that, a hash prefix
	Hash     string    `json:"hash"`    // SHA-256 of the source files, hex
	Entries  int       `json:"entries"`
	Source   string    `json:"source"` // "snapshot", a URL or a directory
	LoadedAt time.Time `json:"loaded_at"`
}

// ListSet is a group of parsed lists that are served together.
type ListSet struct {
	Lists   []ListInfo
	Entries []ListEntry
}

// ScreenQuery is one party to check. Names is required; every other field is
// optional and only sharpens the result. There is deliberately no
// nationality field: the subject's nationality is never a screening input.
// Countries are places connected with the subject (residence, address,
// registration), compared with the listed party's own places.
type ScreenQuery struct {
	Names       []string   `json:"names"`
	Type        EntityType `json:"type,omitempty"`
	BirthDates  []string   `json:"birth_dates,omitempty"`
	Countries   []string   `json:"countries,omitempty"`
	Identifiers []string   `json:"identifiers,omitempty"` // document numbers, wallets, emails, phones
	Lists       []ListName `json:"lists,omitempty"`       // restrict to these lists; empty means all
	// Threshold is the overall score at or above which a result is a match;
	// zero means the screener's default.
	Threshold float64 `json:"threshold,omitempty"`
	// Limit caps the results returned; zero means the screener's default.
	Limit int `json:"limit,omitempty"`
}

// Explanation says why one feature of a query met one feature of an entry.
type Explanation struct {
	Feature string  `json:"feature"` // "name", "token", "birth_date", "country", "identifier", ...
	Query   string  `json:"query"`
	Listed  string  `json:"listed"`
	Rule    string  `json:"rule"`  // "exact", "typo", "romanisation", "korean_surname", "initial", "legal_form", ...
	Score   float64 `json:"score"` // the feature's own similarity, or its effect on the total
}

// Match is one screening result.
type Match struct {
	EntryID  string     `json:"id"`
	SourceID string     `json:"source_id"`
	List     ListName   `json:"list"`
	Caption  string     `json:"caption"`
	Type     EntityType `json:"type"`
	Programs []string   `json:"programs,omitempty"`
	// MatchedName is the listed name that scored best.
	MatchedName string `json:"matched_name"`
	// NameScore is the name similarity alone; Score is the overall
	// confidence after other attributes raised or lowered it. Both in [0,1].
	NameScore    float64       `json:"name_score"`
	Score        float64       `json:"score"`
	IsMatch      bool          `json:"match"`
	Explanations []Explanation `json:"explanations"`
	Entry        *ListEntry    `json:"-"`
}

// ScreenResult is the answer to one query: matches best first, and the list
// versions they were taken from.
type ScreenResult struct {
	Matches   []Match    `json:"matches"`
	Threshold float64    `json:"threshold"`
	Lists     []ListInfo `json:"lists"`
}

// Screener checks parties against the loaded sanctions lists.
type Screener interface {
	Screen(ctx context.Context, q ScreenQuery) (ScreenResult, error)
	// Lists returns the versions being served now.
	Lists() []ListInfo
}
