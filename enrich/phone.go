package enrich

import (
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"molehunt"
	"molehunt/ident"
)

// LineType is the kind of line a phone number belongs to, per the
// numbering plan (libphonenumber's metadata).
type LineType string

// The line types, after libphonenumber's PhoneNumberType.
const (
	LineFixed          LineType = "fixed_line"
	LineMobile         LineType = "mobile"
	LineFixedOrMobile  LineType = "fixed_line_or_mobile" // the plan does not tell them apart: every +1 number
	LineTollFree       LineType = "toll_free"
	LinePremiumRate    LineType = "premium_rate"
	LineSharedCost     LineType = "shared_cost"
	LineVoIP           LineType = "voip"
	LinePersonalNumber LineType = "personal_number" // a forwarding number not tied to a line (UK 070)
	LinePager          LineType = "pager"
	LineUAN            LineType = "uan"
	LineVoicemail      LineType = "voicemail"
	LineUnknown        LineType = "unknown"
)

var lineTypes = map[phonenumbers.PhoneNumberType]LineType{
	phonenumbers.FIXED_LINE:           LineFixed,
	phonenumbers.MOBILE:               LineMobile,
	phonenumbers.FIXED_LINE_OR_MOBILE: LineFixedOrMobile,
	phonenumbers.TOLL_FREE:            LineTollFree,
	phonenumbers.PREMIUM_RATE:         LinePremiumRate,
	phonenumbers.SHARED_COST:          LineSharedCost,
	phonenumbers.VOIP:                 LineVoIP,
	phonenumbers.PERSONAL_NUMBER:      LinePersonalNumber,
	phonenumbers.PAGER:                LinePager,
	phonenumbers.UAN:                  LineUAN,
	phonenumbers.VOICEMAIL:            LineVoicemail,
	phonenumbers.UNKNOWN:              LineUnknown,
}

// PhoneInfo is what the data says about one phone number.
type PhoneInfo struct {
	E164     string   `json:"e164"`
	Country  string   `json:"country,omitempty"` // ISO 3166-1 alpha-2 of the numbering plan's region
	LineType LineType `json:"line_type"`
	// VoIP is set for numbers the plan reserves for VoIP (+82 70, +44 56,
	// ...). Numbering plans that do not set VoIP apart cannot show it.
	VoIP bool `json:"voip,omitempty"`
	// VoIPUndetectable is set where the plan cannot tell a VoIP number
	// from another: every +1 (NANP) number, whose VoIP lines (Google Voice,
	// TextNow, ...) share area codes with fixed and mobile lines, and any
	// number typed only fixed_line_or_mobile. A false VoIP there means
	// "unknown", not "not VoIP".
	VoIPUndetectable bool `json:"voip_undetectable,omitempty"`
	// Disposable is set when the number was listed on a public
	// receive-SMS site (@ip1sms/disposable-phone-numbers), last seen on
	// DisposableLastSeen.
	Disposable         bool   `json:"disposable,omitempty"`
	DisposableLastSeen string `json:"disposable_last_seen,omitempty"`
	// DataVersion names the phonenumbers and disposable-phone data used.
	DataVersion string `json:"data_version"`
}

// Phone returns what the data says about a phone number. It takes any
// form with a country code ("+82 70-1234-5678", "0082..."); a number
// without one, or one the numbering plan cannot hold, is an error with
// code molehunt.EInvalid.
func (e *Enricher) Phone(number string) (PhoneInfo, error) {
	// Keyed by the number as written: a hit skips parsing, the costly
	// part (tens of microseconds).
	if info, ok := e.phones.get(number); ok {
		return info, nil
	}
	e164, err := ident.Phone(number, "")
	if err != nil {
		return PhoneInfo{}, err
	}
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return PhoneInfo{}, molehunt.Errorf(molehunt.EInvalid, "enrich.Phone", "not a phone number: %v", err)
	}
	t := phonenumbers.GetNumberType(n)
	info := PhoneInfo{
		E164:     e164,
		Country:  phonenumbers.GetRegionCodeForNumber(n),
		LineType: lineTypes[t],
		VoIP:     t == phonenumbers.VOIP,
		DataVersion: "disposable-phone=" + e.static.versions["disposable-phone"] +
			"; phonenumbers=" + e.static.versions["phonenumbers"],
	}
	if info.LineType == "" {
		info.LineType = LineUnknown
	}
	if info.Country == "ZZ" || info.Country == "001" {
		info.Country = "" // non-geographic (satellite, international networks)
	}
	info.VoIPUndetectable = !info.VoIP && (n.GetCountryCode() == 1 || t == phonenumbers.FIXED_LINE_OR_MOBILE)
	if i, ok := slices.BinarySearchFunc(e.static.phones, e164, func(line, target string) int {
		num, _, _ := strings.Cut(line, " ")
		return strings.Compare(num, target)
	}); ok {
		info.Disposable = true
		_, info.DisposableLastSeen, _ = strings.Cut(e.static.phones[i], " ")
	}
	e.phones.put(number, info)
	return info, nil
}
