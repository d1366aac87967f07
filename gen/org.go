package gen

import (
	"fmt"
	"strings"
	"time"

	"molehunt/ident"
)

// companyDomain is the generated organisation's e-mail domain.
const companyDomain = "acme-widgets.example"

// person is one applicant or worker of the organisation: what they claim
// (name, country, city, address, phone, e-mail, identity document) and how
// they really behave (where they work from, at what hours, through which
// networks). Workers come first in the slice, then applicants who were
// never hired.
type person struct {
	idx    int
	candID int64
	appID  int64
	hired  bool
	empID  string

	given, family string
	country       *country // claimed
	city          *city    // claimed
	street, unit  string
	postal        string
	phone         string // as written on the application
	email         string // personal, as written
	login         string // work account (Okta login and work e-mail), hired only
	oktaID, mfaID string
	mfaDevice     string // Okta Verify device registration id
	dob           string
	gov           govID
	linkedin      string
	github        string
	photo, resume string

	applied    time.Time
	hire       time.Time // start date, hired only
	end        time.Time // last day, zero while employed
	rejected   time.Time // applicants: when rejected; zero while in process
	contractor bool
	referrer   int // index of the worker who referred them, or -1

	pay    payAcct
	change *bankChange
	dev    device

	// Behaviour.
	live      *time.Location // where they really work from
	startHour float64        // usual local start of the working day
	homeISP   *ipRange
	homeIP    uint32
	office    *office
	vpn       float64 // share of sessions through a consumer VPN
	trip      *trip
	move      *move
	partner   int // family member at the same address, or -1
	keyboard  []string
	extraUSB  []usbDev
	extraApps []app
	covert    *covertRole
	verified  bool // went through identity verification
}

type govID struct {
	country, class, typ, number string // class: Persona id-class ("dl", "pp"); typ: digest type
}

type payAcct struct {
	method   string // as the payroll export writes it
	holder   string
	bank     string
	routing  string
	account  string
	iban     string
	provider string
	savings  bool
}

type bankChange struct {
	at       time.Time
	to       payAcct
	by       string
	fromIP   uint32
	indicate bool // planted (covert)
}

type device struct {
	serial, uuid, host, model, vendor, os, osVersion, cpu string
	mac                                                   bool
	assetTag                                              string
}

type office struct {
	name string
	city *city
	cc   *country
	ips  []uint32
	net  *ipRange
	days [7]bool
}

type trip struct {
	from, to time.Time
	cc       *country
	city     *city
}

type move struct {
	at                   time.Time
	city                 *city
	street, unit, postal string
	isp                  *ipRange
	ip                   uint32
}

type covertRole struct {
	network    int
	kind       string
	realTZ     string
	exit       []*ipRange // hosting/VPN exits the operator uses
	exitIPs    []uint32
	farm       bool
	rmm        []app
	kvm        *usbDev
	indicators []Indicator
}

// Org is the planned organisation: everyone, the planted networks and the
// benign look-alikes. It is built once (memory grows with Workers, not
// with Workers × Months) and then written out file by file.
type org struct {
	cfg      Config
	start    time.Time
	end      time.Time
	people   []*person
	workers  int
	networks []*network
	benign   []Benign
	vendors  []*vendor
	offices  []*office
	tz       map[string]*time.Location
}

type network struct {
	id      string
	kind    string
	members []int
	vendor  *vendor
	farm    *farmSite
	holder  string
	accts   []payAcct
	ind     []Indicator
	note    string
}

type farmSite struct {
	street, city, region, postal string
	ip                           uint32
	isp                          *ipRange
	c                            *city
}

type vendor struct {
	id       string
	name     string
	country  string
	pay      payAcct
	monthly  int64 // cents
	sanction bool
	network  int
}

func (o *org) loc(name string) *time.Location {
	if l, ok := o.tz[name]; ok {
		return l
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	o.tz[name] = l
	return l
}

// subjectID is the id the Greenhouse parser gives the person's subject.
func (p *person) subjectID() string { return fmt.Sprintf("greenhouse:candidate:%d", p.candID) }

func (p *person) fullName() string { return p.given + " " + p.family }

// activeOn reports whether a hired person works on day d (any time of it).
func (p *person) activeOn(d time.Time) bool {
	if !p.hired || d.Before(p.hire) {
		return false
	}
	return p.end.IsZero() || d.Before(p.end)
}

// accountAt returns the pay account in force at t.
func (p *person) accountAt(t time.Time) payAcct {
	if p.change != nil && !t.Before(p.change.at) {
		return p.change.to
	}
	return p.pay
}

// streets for generated addresses.
var streetNames = []string{"Maple", "Oak", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Main", "Church",
	"Highland", "Sunset", "Ridge", "Willow", "Lincoln", "Jefferson", "Madison", "Franklin", "Forest", "River", "Spring",
	"Meadow", "Chestnut", "Walnut", "Birch", "Valley", "Grove", "Harbor", "Bay", "Mission", "Union", "Prospect", "Center"}

var streetSuffixes = [][2]string{{"Street", "St"}, {"Avenue", "Ave"}, {"Road", "Rd"}, {"Drive", "Dr"}, {"Lane", "Ln"},
	{"Boulevard", "Blvd"}, {"Court", "Ct"}, {"Place", "Pl"}, {"Way", "Way"}, {"Terrace", "Ter"}}

var foreignStreets = map[string][]string{
	"GB": {"High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane"},
	"DE": {"Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee", "Bergstraße"},
	"FR": {"rue de la Paix", "avenue Victor Hugo", "rue Pasteur", "boulevard Voltaire", "rue du Moulin"},
	"ES": {"Calle Mayor", "Calle de Alcalá", "Avenida de la Constitución", "Calle Real"},
	"NL": {"Kerkstraat", "Dorpsstraat", "Prinsengracht", "Molenweg", "Stationsweg"},
	"PL": {"ul. Marszałkowska", "ul. Długa", "ul. Kwiatowa", "ul. Polna", "ul. Lipowa"},
	"UA": {"vul. Khreshchatyk", "vul. Shevchenka", "vul. Franka", "prosp. Peremohy"},
	"IN": {"MG Road", "Residency Road", "Brigade Road", "Koramangala 5th Block", "HSR Layout Sector 2"},
	"JP": {"Jingumae", "Shibuya", "Minato-ku Shiba", "Umeda", "Nishi-Shinjuku"},
	"KR": {"Teheran-ro", "Gangnam-daero", "Sejong-daero", "Pangyoyeok-ro", "Haeundae-ro"},
	"TW": {"Xinyi Rd", "Zhongxiao E Rd", "Guangfu Rd", "Dunhua S Rd"},
	"SG": {"Orchard Road", "Tampines Ave", "Bukit Timah Road", "Jurong West St"},
	"CN": {"Nanjing Rd", "Huaihai Rd", "Jianguo Rd", "Shennan Blvd"},
	"PH": {"Ayala Ave", "Rizal St", "Mabini St", "Osmeña Blvd"},
	"VN": {"Nguyen Hue", "Le Loi", "Tran Hung Dao", "Hai Ba Trung"},
	"BR": {"Rua Augusta", "Avenida Paulista", "Rua da Bahia", "Rua das Flores"},
	"MX": {"Av. Reforma", "Calle Madero", "Av. Insurgentes Sur", "Calle Hidalgo"},
	"AU": {"George Street", "Collins Street", "King Street", "Bourke Street"},
	"AR": {"Av. Corrientes", "Av. Santa Fe", "Calle Florida", "Av. Callao"},
	"NG": {"Adeola Odeku Street", "Awolowo Road", "Allen Avenue", "Admiralty Way"},
	"CA": {"Queen Street West", "Robson Street", "Rue Sainte-Catherine", "Bank Street"},
}

// newAddress returns a street line, unit and postal code in c.
func newAddress(r *rng, cc *country, c *city) (street, unit, postal string) {
	postal = c.zip + r.digits(c.zipLen)
	switch cc.code {
	case "US":
		suf := pick(r, streetSuffixes)
		s := suf[0]
		if r.chance(0.5) {
			s = suf[1]
		}
		dir := ""
		if r.chance(0.2) {
			dir = pick(r, []string{"N ", "S ", "E ", "W ", "North ", "South "})
		}
		street = fmt.Sprintf("%d %s%s %s", r.between(10, 9899), dir, pick(r, streetNames), s)
		if r.chance(0.35) {
			unit = fmt.Sprintf("%s %d%s", pick(r, []string{"Apt", "Apt", "Unit", "#", "Apartment"}), r.between(1, 40), pick(r, []string{"", "A", "B", "C", ""}))
		}
	case "CA":
		street = fmt.Sprintf("%d %s", r.between(10, 999), pick(r, foreignStreets["CA"]))
		if r.chance(0.5) {
			unit = fmt.Sprintf("Unit %d", r.between(100, 2999))
		}
		postal = c.zip + " " + fmt.Sprintf("%d%c%d", r.intn(10), 'A'+rune(r.intn(26)), r.intn(10))
	case "GB":
		street = fmt.Sprintf("%d %s", r.between(1, 240), pick(r, foreignStreets["GB"]))
		postal = c.zip + " " + fmt.Sprintf("%d%c%c", r.intn(10), 'A'+rune(r.intn(26)), 'A'+rune(r.intn(26)))
	case "DE", "NL", "PL", "UA", "ES", "FR", "BR", "MX", "AR":
		street = fmt.Sprintf("%s %d", pick(r, foreignStreets[cc.code]), r.between(1, 180))
	default:
		street = fmt.Sprintf("%d %s", r.between(1, 300), pick(r, foreignStreets[cc.code]))
	}
	return street, unit, postal
}

// asciiUpper folds a name to the upper-case ASCII that bank files carry.
func asciiUpper(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f, ok := fold[r]; ok {
			b.WriteString(f)
			continue
		}
		if r < 0x80 {
			b.WriteRune(r)
		}
	}
	return strings.ToUpper(b.String())
}

var fold = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'ą': "a", 'Á': "A", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ę': "e",
	'É': "E", 'í': "i", 'î': "i", 'ï': "i", 'Í': "I", 'ó': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'Ó': "O", 'ú': "u", 'ü': "u",
	'û': "u", 'Ú': "U", 'ñ': "n", 'ń': "n", 'ç': "c", 'ć': "c", 'ß': "ss", 'ł': "l", 'Ł': "L", 'ś': "s", 'Ś': "S", 'ź': "z",
	'ż': "z", 'Ż': "Z", 'ò': "o", 'ì': "i", 'ù': "u",
}

// validPhone draws numbers until the numbering plan holds one: national
// plans have holes no table of prefixes captures.
func validPhone(r *rng, cc *country, c *city) string {
	var ph string
	for try := 0; try < 50; try++ {
		ph = cc.phone(r, c)
		if _, err := ident.Phone(ph, "US"); err == nil {
			return ph
		}
	}
	return ph
}

// slug makes an e-mail local part of a name.
func slug(s string) string {
	s = strings.ToLower(asciiUpper(s))
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
