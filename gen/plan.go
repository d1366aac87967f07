package gen

import (
	"fmt"
	"strings"
	"time"
)

// The covert network kinds, modelled on the public DOJ cases
// (INDICATORS.md §7, D1–D5).
const (
	KindLaptopFarm     = "laptop_farm"
	KindPaymentHub     = "payment_hub"
	KindStolenIdentity = "stolen_identity"
	KindSharedProfile  = "shared_resume_photo"
	KindFrontVendor    = "front_company_vendor"
)

var networkKinds = []string{KindLaptopFarm, KindPaymentHub, KindStolenIdentity, KindSharedProfile, KindFrontVendor}

// sanctionedVendors are DPRK-linked companies on the OFAC SDN list
// (shared/data/sanctions/ofac/sdn/sdn.csv, 2024-05-03: entries 24977,
// 24978, 43379, 48260, 48261), written as a vendor master would hold them.
var sanctionedVendors = []struct{ name, country, city, bic string }{
	{"Yanbian Silverstar Network Technology Co., Ltd.", "CN", "Yanji", "BKCHCNBJ960"},
	{"Volasys Silver Star", "RU", "Vladivostok", "SABRRUMMVH1"},
	{"Chinyong Information Technology Cooperation Company", "CN", "Shenyang", "ICBKCNBJLNG"},
	{"Limited Liability Company Alis", "RU", "Vladivostok", "SABRRUMMVH1"},
	{"Pioneer Bencont Star Real Estate", "AE", "Dubai", "EBILAEAD"},
}

// ordinary vendors the organisation pays by ACH every month.
var vendorNames = []string{"Brightline Cloud Services LLC", "Harbor Facilities Management Inc", "Northstar Legal Partners LLP",
	"Summit IT Staffing LLC", "Bluewater Office Supply Co", "Keystone Benefits Advisors", "Redwood Security Consulting",
	"Pinnacle Recruiting Group", "Clearpath Translation Services", "Granite Payroll Advisors", "Lumen Design Studio LLC",
	"Evergreen Catering Inc", "Atlas Hardware Leasing Corp", "Cobalt Data Labs LLC", "Meridian Travel Management"}

func (o *org) build() {
	cfg := o.cfg
	o.tz = map[string]*time.Location{}
	o.start = cfg.Start
	o.end = cfg.Start.AddDate(0, cfg.Months, 0)
	o.workers = cfg.Workers
	applicants := cfg.Workers / 2
	if applicants < 12 {
		applicants = 12
	}
	o.buildOffices()
	o.people = make([]*person, cfg.Workers+applicants)
	logins := make(map[string]bool, cfg.Workers)
	serials := make(map[string]bool, cfg.Workers)
	for i := range o.people {
		o.people[i] = o.newPerson(i, i < cfg.Workers)
	}
	o.plant()
	// Logins and device serials are unique within the organisation;
	// assigned after planting so that re-drawn names are used.
	for _, p := range o.people {
		if !p.hired {
			continue
		}
		base := slug(p.given) + "." + slug(p.family)
		login := base + "@" + companyDomain
		for n := 2; logins[login]; n++ {
			login = fmt.Sprintf("%s%d@%s", base, n, companyDomain)
		}
		logins[login] = true
		p.login = login
		r := newRNG(uint64(cfg.Seed), streamWorker, uint64(p.idx), 99)
		for serials[p.dev.serial] {
			p.dev.serial = p.dev.serial[:len(p.dev.serial)-3] + r.chars(alnumUpper, 3)
		}
		serials[p.dev.serial] = true
	}
}

func (o *org) buildOffices() {
	us := countryByCode("US")
	cityOf := func(cc *country, name string) *city {
		for i := range cc.cities {
			if cc.cities[i].name == name {
				return &cc.cities[i]
			}
		}
		return &cc.cities[0]
	}
	gb, in := countryByCode("GB"), countryByCode("IN")
	specs := []struct {
		name string
		cc   *country
		city string
		net  *ipRange
	}{
		{"San Francisco HQ", us, "San Francisco", netZayo1},
		{"New York office", us, "New York", netZayo2},
		{"London office", gb, "London", netBTBiz},
		{"Bengaluru office", in, "Bengaluru", netAirBz},
	}
	for i, s := range specs {
		r := newRNG(uint64(o.cfg.Seed), streamPlan, 1000+uint64(i))
		off := &office{name: s.name, cc: s.cc, city: cityOf(s.cc, s.city), net: s.net}
		base := s.net.random(&r) &^ 0x7
		for k := uint32(1); k <= 4; k++ {
			off.ips = append(off.ips, base+k)
		}
		off.days = [7]bool{time.Tuesday: true, time.Wednesday: true, time.Thursday: true}
		o.offices = append(o.offices, off)
	}
}

func clampF(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

func (o *org) days() int { return int(o.end.Sub(o.start).Hours() / 24) }

// monday returns the Monday on or after t.
func monday(t time.Time) time.Time {
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func (o *org) newPerson(i int, hired bool) *person {
	seed := uint64(o.cfg.Seed)
	r := newRNG(seed, streamWorker, uint64(i))
	w := make([]float64, len(countries))
	for k, c := range countries {
		w[k] = c.weight
	}
	cc := countries[r.weighted(w)]
	p := &person{idx: i, hired: hired, partner: -1, referrer: -1}
	p.candID = 40_000_000 + int64(i)*7 + 3
	p.appID = 80_000_000 + int64(i)*11 + 5
	p.empID = fmt.Sprintf("E%06d", 100000+i)
	o.claim(p, &r, cc)
	p.dob = fmt.Sprintf("%04d-%02d-%02d", r.between(1962, 2003), r.between(1, 12), r.between(1, 28))
	if cc.code == "US" {
		p.gov = govID{country: "US", class: "dl", typ: "drivers_license", number: string(rune('A'+r.intn(26))) + r.digits(7)}
	} else {
		p.gov = govID{country: cc.code, class: "pp", typ: "passport", number: r.chars(alnumUpper[10:], 2) + r.digits(7)}
	}
	p.linkedin = fmt.Sprintf("https://www.linkedin.com/in/%s-%s-%s", slug(p.given), slug(p.family), string(r.appendHex(nil, 6)))
	if r.chance(0.4) {
		p.github = fmt.Sprintf("https://github.com/%s%s", slug(p.given)[:1], slug(p.family)+r.digits(2))
	}
	p.photo = string(r.appendHex(nil, 16))
	p.resume = "mh1:" + string(r.appendHex(nil, 32))
	days := o.days()
	if hired {
		if r.chance(0.85) {
			p.hire = o.start.AddDate(0, 0, -r.between(7, 2200))
		} else {
			p.hire = o.start.AddDate(0, 0, r.intn(days))
		}
		p.hire = monday(p.hire)
		p.applied = p.hire.AddDate(0, 0, -r.between(20, 70)).Add(time.Duration(r.between(13*3600, 23*3600)) * time.Second)
		if p.hire.Before(o.start) && r.chance(0.04) {
			p.end = o.start.AddDate(0, 0, r.intn(days))
		}
		p.contractor = cc.code != "US"
		p.verified = p.hire.After(o.start.AddDate(0, 0, -120))
		if i > 10 && r.chance(0.1) {
			p.referrer = r.intn(i)
		}
	} else {
		p.applied = o.start.AddDate(0, 0, r.between(-30, days-1)).Add(time.Duration(r.between(0, 86399)) * time.Second)
		if r.chance(0.7) {
			if rej := p.applied.AddDate(0, 0, r.between(3, 40)); rej.Before(o.end) {
				p.rejected = rej.Add(time.Duration(r.between(0, 36000)) * time.Second)
			}
		}
		p.verified = r.chance(0.25)
	}
	// Device.
	if r.chance(map[bool]float64{true: 0.65, false: 0.45}[cc.code == "US"]) {
		m := pick(&r, macModels)
		p.dev = device{mac: true, model: m.model, cpu: m.cpu, vendor: "Apple Inc.", os: "macOS", osVersion: pick(&r, []string{"14.7.4", "15.3.1", "15.3.2"})}
		p.dev.serial = m.prefix + r.chars(alnumUpper, 12-len(m.prefix))
		p.dev.host = slug(p.given) + "s-MacBook-Pro"
	} else {
		m := pick(&r, winModels)
		p.dev = device{model: m.model, cpu: m.cpu, vendor: m.vendor, os: "Microsoft Windows 11 Enterprise", osVersion: "10.0.22631"}
		switch m.prefix {
		case "":
			p.dev.serial = r.chars(alnumUpper, 7)
		default:
			p.dev.serial = m.prefix + r.chars(alnumUpper, 10-len(m.prefix))
		}
		p.dev.host = "ACME-" + r.chars(alnumUpper, 7)
	}
	p.dev.uuid = strings.ToUpper(r.uuid())
	p.dev.assetTag = fmt.Sprintf("ACME-LT-%06d", i)
	p.oktaID = "00u" + r.chars(base62, 17)
	p.mfaID = "pfd" + r.chars(base62, 17)
	p.mfaDevice = "guo" + r.chars(base62, 17)
	// Behaviour.
	p.live = o.loc(p.city.tz)
	p.startHour = clampF(r.norm(8.8, 0.9), 6.5, 11.5)
	p.homeISP = pick(&r, cc.isps)
	p.homeIP = p.homeISP.random(&r)
	for _, off := range o.offices {
		if off.city == p.city && r.chance(0.45) {
			p.office = off
		}
	}
	return p
}

// claim sets everything a person claims about themselves in cc: name,
// city, address, phone, e-mail, pay account and keyboard. Covert workers
// go through the same function for the country they claim, so their names
// come from the same pool as everyone else's there.
func (o *org) claim(p *person, r *rng, cc *country) {
	p.country = cc
	p.city = &cc.cities[r.intn(len(cc.cities))]
	cu := cultures[cc.cultures.pick(r)]
	p.given, p.family = pick(r, cu.given), pick(r, cu.family)
	p.street, p.unit, p.postal = newAddress(r, cc, p.city)
	p.phone = validPhone(r, cc, p.city)
	// A number unique to the person keeps personal e-mails apart after
	// Gmail's dot folding; 1000003 is prime, so i·7919 mod it is one-to-one.
	n := (uint64(p.idx)*7919 + 17) % 1000003
	g, f := slug(p.given), slug(p.family)
	switch r.intn(6) {
	case 0:
		p.email = fmt.Sprintf("%s.%s%d@gmail.com", g, f, n)
	case 1:
		p.email = fmt.Sprintf("%s%s%d@gmail.com", g[:1], f, n)
	case 2:
		p.email = fmt.Sprintf("%s_%s%d@outlook.com", g, f, n)
	case 3:
		p.email = fmt.Sprintf("%s.%s.%d@yahoo.com", g, f, n)
	case 4:
		p.email = fmt.Sprintf("%s%d@icloud.com", g+f, n)
	default:
		p.email = fmt.Sprintf("%s.%s%d@proton.me", g, f, n)
	}
	p.keyboard = []string{cc.keyboard}
	p.pay = newPayAcct(r, cc, p.fullName())
}

func newPayAcct(r *rng, cc *country, holder string) payAcct {
	switch cc.pay {
	case "ach":
		b := pick(r, usBanks)
		return payAcct{method: "Direct Deposit", holder: holder, bank: b.name, routing: b.routing,
			account: string(rune('1'+r.intn(9))) + r.digits(r.between(8, 11)), savings: r.chance(0.1)}
	case "iban":
		method := "SEPA"
		if cc.code == "GB" {
			method = "International Wire"
		}
		return payAcct{method: method, holder: holder, iban: newIBAN(r, cc.code)}
	case "wise":
		return payAcct{method: "Wise", holder: holder, provider: "wise", account: r.digits(8)}
	case "payoneer":
		return payAcct{method: "Payoneer", holder: holder, provider: "payoneer", account: "P-" + r.digits(8)}
	}
	return eorAccount
}

// eorAccount is the pooled receiving account of the employer-of-record
// provider that pays contractors in India, Japan, Korea, Taiwan and China:
// shared by very many payees, the benign look-alike of a payment hub.
var eorAccount = payAcct{method: "Wire", holder: "DEEL INC", bank: "JPMorgan Chase Bank", routing: "021000021", account: "000412837465"}

// newIBAN returns a valid IBAN (ISO 13616 check digits) of country cc.
func newIBAN(r *rng, cc string) string {
	var bban string
	switch cc {
	case "GB":
		bban = pick(r, []string{"NWBK", "BARC", "LOYD", "HBUK", "MIDL"}) + r.digits(6) + r.digits(8)
	case "DE":
		bban = r.digits(18)
	case "FR":
		bban = r.digits(10) + r.digits(11) + r.digits(2)
	case "ES":
		bban = r.digits(20)
	case "NL":
		bban = pick(r, []string{"ABNA", "INGB", "RABO", "TRIO"}) + r.digits(10)
	case "PL":
		bban = r.digits(24)
	default:
		bban = r.digits(18)
		cc = "DE"
	}
	return cc + ibanCheck(cc, bban) + bban
}

func ibanCheck(cc, bban string) string {
	s := bban + cc + "00"
	mod := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			mod = (mod*10 + int(c-'0')) % 97
		default:
			v := int(c-'A') + 10
			mod = (mod*100 + v) % 97
		}
	}
	return fmt.Sprintf("%02d", 98-mod)
}
