package gen

import (
	"fmt"
	"sort"
	"time"
)

// plant places the covert networks and the benign look-alikes.
func (o *org) plant() {
	r := newRNG(uint64(o.cfg.Seed), streamPlan)
	used := map[int]bool{}
	draw := func(lo, hi int, ok func(*person) bool) int {
		for try := 0; try < 4000; try++ {
			i := lo + r.intn(hi-lo)
			if !used[i] && (ok == nil || ok(o.people[i])) {
				used[i] = true
				return i
			}
		}
		return -1
	}
	worker := func() int { return draw(0, o.workers, func(p *person) bool { return p.end.IsZero() }) }
	applicant := func() int { return draw(o.workers, len(o.people), nil) }

	n := o.cfg.Networks
	for k := 0; k < n; k++ {
		kind := networkKinds[k%len(networkKinds)]
		nw := &network{id: fmt.Sprintf("net-%03d", k+1), kind: kind}
		nr := newRNG(uint64(o.cfg.Seed), streamNetwork, uint64(k))
		switch kind {
		case KindLaptopFarm:
			o.plantFarm(nw, &nr, worker)
		case KindPaymentHub:
			o.plantHub(nw, &nr, worker)
		case KindStolenIdentity:
			o.plantStolen(nw, &nr, worker, applicant)
		case KindSharedProfile:
			o.plantShared(nw, &nr, worker, applicant)
		case KindFrontVendor:
			o.plantVendor(nw, &nr, k)
		}
		o.networks = append(o.networks, nw)
	}
	o.plantVendors(&r)
	o.plantBenign(&r, used)
}

// makeCovert turns person i into a covert worker of nw claiming to live in
// the United States: a fresh identity drawn from the same pools as every
// US worker, a recent hire, working from UTC+8/+9.
func (o *org) makeCovert(i int, nw *network, r *rng) *person {
	p := o.people[i]
	us := countryByCode("US")
	pr := newRNG(uint64(o.cfg.Seed), streamWorker, uint64(i), 7)
	o.claim(p, &pr, us)
	n := (uint64(p.idx)*7919 + 17) % 1000003
	p.email = fmt.Sprintf("%s.%s%04d@%s", slug(p.given), slug(p.family), n%10000, pick(r, []string{"gmail.com", "outlook.com", "proton.me"}))
	p.contractor = false
	p.office, p.trip, p.move, p.vpn = nil, nil, nil, 0
	realTZ := "Asia/Shanghai"
	if r.chance(0.35) {
		realTZ = "Asia/Pyongyang"
	}
	p.live = o.loc(realTZ)
	p.startHour = clampF(r.norm(9, 0.6), 7.5, 10.5)
	p.homeISP = pick(&pr, us.isps)
	p.homeIP = p.homeISP.random(&pr)
	if p.hired {
		span := o.days()/2 + 40
		p.hire = monday(o.start.AddDate(0, 0, -40+r.intn(span)))
		p.applied = p.hire.AddDate(0, 0, -r.between(14, 35)).Add(time.Duration(r.between(0, 86399)) * time.Second)
		p.end = time.Time{}
	}
	p.verified = true
	if r.chance(0.3) {
		p.keyboard = append(p.keyboard, "com.apple.inputmethod.Korean.2SetKorean")
	}
	c := &covertRole{network: len(o.networks), kind: nw.kind, realTZ: realTZ}
	for k := 0; k < 2; k++ {
		ex := pick(r, hostingExits)
		c.exit = append(c.exit, ex)
		c.exitIPs = append(c.exitIPs, ex.random(r))
	}
	if r.chance(0.4) {
		ex := pick(r, vpnExits)
		c.exit = append(c.exit, ex)
		c.exitIPs = append(c.exitIPs, ex.random(r))
	}
	c.indicators = append(c.indicators,
		Indicator{Code: "A6", Name: "voip_or_changing_phone", Detail: p.phone},
		Indicator{Code: "E6", Name: "activity_hours_utc8_9", Detail: "works 09:00-18:00 " + realTZ + " while claiming " + p.city.tz},
	)
	if p.hired {
		c.indicators = append(c.indicators, Indicator{Code: "E1", Name: "vpn_or_hosting_logins", Detail: "logins through hosting/VPN exits"})
	}
	p.covert = c
	nw.members = append(nw.members, i)
	return p
}

func (o *org) plantFarm(nw *network, r *rng, worker func() int) {
	us := countryByCode("US")
	c := &us.cities[r.intn(len(us.cities))]
	street, _, postal := newAddress(r, us, c)
	isp := pick(r, []*ipRange{ispComcast, ispComcast2, ispVerizon, ispCox, ispCharter})
	site := &farmSite{street: street, city: c.name, region: c.region, postal: postal, isp: isp, ip: isp.random(r), c: c}
	nw.farm = site
	nw.note = "equipment of every member shipped to one residence; logins from its IP, then through hosting/VPN exits; remote-access tools and IP-KVMs on the laptops"
	size := r.between(4, 7)
	var prev = -1
	for k := 0; k < size; k++ {
		i := worker()
		if i < 0 {
			break
		}
		p := o.makeCovert(i, nw, r)
		p.covert.farm = true
		p.covert.rmm = append(p.covert.rmm, rmmAnyDesk)
		if r.chance(0.7) {
			p.covert.rmm = append(p.covert.rmm, pick(r, rmmAll[1:]))
		}
		p.covert.indicators = append(p.covert.indicators,
			Indicator{Code: "D1", Name: "ship_to_not_home", Detail: "laptop shipped to " + site.street + ", " + site.city},
			Indicator{Code: "D2", Name: "shared_ship_to_address", Detail: site.street + ", " + site.city + ", " + site.region + " " + site.postal},
			Indicator{Code: "E3", Name: "shared_residential_ip", Detail: ipString(site.ip)},
			Indicator{Code: "E4", Name: "shared_mfa_device", Detail: "Okta Verify device of the facilitator"},
			Indicator{Code: "F1", Name: "remote_access_tool", Detail: appNames(p.covert.rmm)},
		)
		if len(p.covert.rmm) > 1 {
			p.covert.indicators = append(p.covert.indicators, Indicator{Code: "F2", Name: "several_remote_access_tools", Detail: appNames(p.covert.rmm)})
		}
		for _, a := range p.covert.rmm {
			if a.name == rmmCRD.name {
				p.covert.indicators = append(p.covert.indicators, Indicator{Code: "F3", Name: "crd_unattended_pin", Detail: "remoting_start_host --pin="})
			}
		}
		if r.chance(0.5) {
			kvm := pick(r, kvmAll)
			p.covert.kvm = &kvm
			p.covert.indicators = append(p.covert.indicators, Indicator{Code: "F4", Name: "ip_kvm_usb", Detail: kvm.vendorID + ":" + kvm.modelID + " " + kvm.vendor + " " + kvm.model})
		}
		if prev >= 0 {
			p.referrer = prev
			p.covert.indicators = append(p.covert.indicators, Indicator{Code: "A8", Name: "referred_by_network_member", Detail: o.people[prev].subjectID()})
		}
		prev = i
	}
	nw.ind = []Indicator{
		{Code: "D2", Name: "shared_ship_to_address", Detail: site.street + ", " + site.city + ", " + site.region + " " + site.postal},
		{Code: "I3", Name: "devices_behind_one_residential_ip", Detail: ipString(site.ip)},
		{Code: "E4", Name: "shared_mfa_device"},
		{Code: "F1", Name: "remote_access_tools"},
		{Code: "E6", Name: "activity_hours_utc8_9"},
	}
}

func appNames(as []app) string {
	s := ""
	for i, a := range as {
		if i > 0 {
			s += ", "
		}
		s += a.name
	}
	return s
}

var facilitatorLLCs = []string{"Brightpath Consulting LLC", "Riverstone Staffing LLC", "Blue Harbor Tech Services LLC",
	"Summit Ridge Solutions LLC", "Crescent Digital Partners LLC", "Oakline Payroll Services LLC"}

func (o *org) plantHub(nw *network, r *rng, worker func() int) {
	us := countryByCode("US")
	if r.chance(0.5) {
		nw.holder = pick(r, facilitatorLLCs)
	} else {
		cu := cultures[us.cultures.pick(r)]
		nw.holder = pick(r, cu.given) + " " + pick(r, cu.family)
	}
	b := pick(r, usBanks)
	for k := 0; k < 2; k++ {
		nw.accts = append(nw.accts, payAcct{method: "Direct Deposit", holder: asciiUpper(nw.holder), bank: b.name, routing: b.routing,
			account: string(rune('1'+r.intn(9))) + r.digits(9)})
	}
	nw.note = "several workers' pay redirected, soon after onboarding, to accounts held by one facilitator"
	size := r.between(3, 5)
	for k := 0; k < size; k++ {
		i := worker()
		if i < 0 {
			break
		}
		p := o.makeCovert(i, nw, r)
		to := nw.accts[k%len(nw.accts)]
		at := p.hire.AddDate(0, 0, r.between(9, 40)).Add(time.Duration(r.between(0, 86399)) * time.Second)
		if last := o.end.AddDate(0, 0, -2); at.After(last) {
			at = last // the change is observed within the period
		}
		p.change = &bankChange{at: at, to: to, by: "self-service", fromIP: p.covert.exitIPs[0], indicate: true}
		p.covert.indicators = append(p.covert.indicators,
			Indicator{Code: "H1", Name: "bank_change_soon_after_hire", Detail: at.Format(time.DateOnly)},
			Indicator{Code: "H2", Name: "payee_name_differs", Detail: to.holder},
			Indicator{Code: "H3", Name: "shared_pay_account", Detail: to.bank + " ..." + to.account[len(to.account)-4:]},
		)
	}
	nw.ind = []Indicator{
		{Code: "H3", Name: "shared_pay_account", Detail: nw.holder},
		{Code: "H1", Name: "bank_change_soon_after_hire"},
		{Code: "H2", Name: "payee_name_differs", Detail: nw.holder},
	}
}

func (o *org) plantStolen(nw *network, r *rng, worker, applicant func() int) {
	a, b := worker(), applicant()
	if a < 0 || b < 0 {
		return
	}
	pa := o.makeCovert(a, nw, r)
	pb := o.makeCovert(b, nw, r)
	// The second applicant reuses the identity: same name, date of birth
	// and driving licence; new e-mail, phone and address.
	pb.given, pb.family, pb.dob = pa.given, pa.family, pa.dob
	pb.gov = pa.gov
	pb.applied = pa.hire.AddDate(0, 0, r.between(20, 50)).Add(time.Duration(r.between(0, 86399)) * time.Second)
	if !pb.applied.Before(o.end) {
		pb.applied = o.end.AddDate(0, 0, -3)
	}
	pb.rejected = time.Time{}
	n := (uint64(pb.idx)*7919 + 17) % 1000003
	pb.email = fmt.Sprintf("%s%s.dev%04d@gmail.com", slug(pa.given), slug(pa.family), n%10000)
	detail := fmt.Sprintf("%s, born %s, %s %s", pa.fullName(), pa.dob, pa.gov.country, pa.gov.typ)
	for _, p := range []*person{pa, pb} {
		p.covert.indicators = append(p.covert.indicators,
			Indicator{Code: "C2", Name: "same_identity_two_applicants", Detail: detail},
			Indicator{Code: "C4", Name: "identity_of_another_person", Detail: "government id digest shared"})
	}
	nw.ind = []Indicator{{Code: "C2", Name: "same_identity_two_applicants", Detail: detail}}
	nw.note = "one stolen identity (name, date of birth, driving licence) behind two applicants"
}

func (o *org) plantShared(nw *network, r *rng, worker, applicant func() int) {
	photo := string(r.appendHex(nil, 16))
	resume := "mh1:" + string(r.appendHex(nil, 32))
	idx := []int{worker()}
	for k := r.between(2, 3); k > 0; k-- {
		idx = append(idx, applicant())
	}
	for _, i := range idx {
		if i < 0 {
			continue
		}
		p := o.makeCovert(i, nw, r)
		p.photo, p.resume = photo, resume
		p.covert.indicators = append(p.covert.indicators,
			Indicator{Code: "A1", Name: "same_resume_text", Detail: resume},
			Indicator{Code: "A3", Name: "same_photo_several_names", Detail: photo})
		if p.hired {
			p.covert.rmm = []app{rmmRustDesk}
			p.covert.indicators = append(p.covert.indicators, Indicator{Code: "F1", Name: "remote_access_tool", Detail: rmmRustDesk.name})
		}
	}
	nw.ind = []Indicator{{Code: "A1", Name: "same_resume_text", Detail: resume}, {Code: "A3", Name: "same_photo_several_names", Detail: photo}}
	nw.note = "the same resume text and profile photo behind applicants of different names"
}

func (o *org) plantVendor(nw *network, r *rng, k int) {
	s := sanctionedVendors[(k/len(networkKinds))%len(sanctionedVendors)]
	v := &vendor{id: fmt.Sprintf("V-%04d", 9000+k), name: s.name, country: s.country, sanction: true, network: k,
		monthly: int64(r.between(18_000, 64_000)) * 100}
	v.pay = payAcct{method: "International Wire", holder: s.name, provider: "", account: r.digits(16), bank: s.bic}
	nw.vendor = v
	o.vendors = append(o.vendors, v)
	nw.ind = []Indicator{{Code: "H7", Name: "vendor_is_sanctioned_front", Detail: s.name + " (OFAC SDN, DPRK programs)"}}
	nw.note = "a DPRK-linked company on the OFAC SDN list paid as a software vendor"
}

func (o *org) plantVendors(r *rng) {
	n := 6 + o.workers/2000
	if n > len(vendorNames) {
		n = len(vendorNames)
	}
	for k := 0; k < n; k++ {
		b := pick(r, usBanks)
		v := &vendor{id: fmt.Sprintf("V-%04d", 1000+k), name: vendorNames[k], country: "US", network: -1,
			monthly: int64(r.between(2_000, 90_000)) * 100}
		v.pay = payAcct{method: "ACH", holder: vendorNames[k], bank: b.name, routing: b.routing, account: string(rune('1'+r.intn(9))) + r.digits(10)}
		o.vendors = append(o.vendors, v)
	}
	sort.SliceStable(o.vendors, func(i, j int) bool { return o.vendors[i].id < o.vendors[j].id })
}

// plantBenign places the look-alikes: families at one address (some with a
// joint account), office egress, personal VPN users, travellers, movers,
// real East Asia residents, Korean-speaking staff, a home-lab KVM, IT
// support's sanctioned remote-access tool, the employer-of-record pooled
// account and night owls.
func (o *org) plantBenign(r *rng, used map[int]bool) {
	usWorker := func() int {
		for try := 0; try < 4000; try++ {
			i := r.intn(o.workers)
			p := o.people[i]
			if !used[i] && p.country.code == "US" && p.end.IsZero() && p.partner < 0 {
				used[i] = true
				return i
			}
		}
		return -1
	}
	anyWorker := func() int {
		for try := 0; try < 4000; try++ {
			i := r.intn(o.workers)
			if !used[i] && o.people[i].end.IsZero() {
				used[i] = true
				return i
			}
		}
		return -1
	}
	ids := func(idx []int) []string {
		var s []string
		for _, i := range idx {
			s = append(s, o.people[i].subjectID())
		}
		return s
	}
	max := func(a, b int) int {
		if a > b {
			return a
		}
		return b
	}
	// Families.
	for k := max(1, o.workers/400); k > 0; k-- {
		a, b := usWorker(), usWorker()
		if a < 0 || b < 0 {
			break
		}
		pa, pb := o.people[a], o.people[b]
		pb.city, pb.street, pb.unit, pb.postal = pa.city, pa.street, pa.unit, pa.postal
		pb.live, pb.homeISP, pb.homeIP, pb.office = pa.live, pa.homeISP, pa.homeIP, pa.office
		pa.partner, pb.partner = b, a
		if r.chance(0.6) {
			pb.family = pa.family
		}
		detail := "spouses or relatives living at " + pa.street + ", " + pa.city.name
		if pa.pay.routing != "" && pb.pay.routing != "" && r.chance(0.5) {
			joint := pa.pay
			joint.holder = asciiUpper(pa.fullName() + " & " + pb.fullName())
			pa.pay, pb.pay = joint, joint
			detail += "; joint bank account"
			o.benign = append(o.benign, Benign{Kind: "joint_bank_account", Members: ids([]int{a, b}), Detail: "family members paid into one joint account"})
		}
		o.benign = append(o.benign, Benign{Kind: "family_shared_address", Members: ids([]int{a, b}), Detail: detail})
	}
	// Personal VPNs.
	var vpn []int
	for k := max(2, o.workers/50); k > 0; k-- {
		if i := anyWorker(); i >= 0 {
			o.people[i].vpn = 0.3 + 0.5*r.float()
			vpn = append(vpn, i)
		}
	}
	o.benign = append(o.benign, Benign{Kind: "personal_vpn", Members: ids(vpn), Detail: "consumer VPN (NordVPN, Mullvad, M247 exits) for part of their logins"})
	// Travellers.
	var trav []int
	for k := max(2, o.workers/40); k > 0; k-- {
		i := anyWorker()
		if i < 0 {
			break
		}
		p := o.people[i]
		var cc *country
		for cc = pick(r, countries); cc == p.country; cc = pick(r, countries) {
		}
		from := o.start.AddDate(0, 0, r.intn(o.days()))
		p.trip = &trip{from: from, to: from.AddDate(0, 0, r.between(5, 16)), cc: cc, city: &cc.cities[r.intn(len(cc.cities))]}
		trav = append(trav, i)
	}
	o.benign = append(o.benign, Benign{Kind: "traveller", Members: ids(trav), Detail: "works for one to two weeks from another country (hotel and local networks)"})
	// Movers.
	var movers []int
	for k := max(2, o.workers/60); k > 0; k-- {
		i := anyWorker()
		if i < 0 {
			break
		}
		p := o.people[i]
		c := &p.country.cities[r.intn(len(p.country.cities))]
		m := &move{at: o.start.AddDate(0, 0, r.intn(o.days())), city: c, isp: pick(r, p.country.isps)}
		m.street, m.unit, m.postal = newAddress(r, p.country, c)
		m.ip = m.isp.random(r)
		p.move = m
		if r.chance(0.5) && p.change == nil {
			p.change = &bankChange{at: m.at.AddDate(0, 0, r.between(3, 20)), to: newPayAcct(r, p.country, p.fullName()), by: "self-service", fromIP: m.ip}
		}
		movers = append(movers, i)
	}
	o.benign = append(o.benign, Benign{Kind: "mover", Members: ids(movers), Detail: "moved house: new address, new home IP, sometimes a new bank"})
	// Ordinary bank changes, long after onboarding.
	for k := max(1, o.workers/40); k > 0; k-- {
		i := anyWorker()
		if i < 0 {
			break
		}
		p := o.people[i]
		at := o.start.AddDate(0, 0, r.intn(o.days())).Add(time.Duration(r.between(8*3600, 20*3600)) * time.Second)
		if p.change == nil && at.Sub(p.hire) > 120*24*time.Hour {
			p.change = &bankChange{at: at, to: newPayAcct(r, p.country, p.fullName()), by: "self-service", fromIP: p.homeIP}
		}
	}
	// Home-lab KVM and IT support's sanctioned remote-access tool.
	var lab, it []int
	for k := max(1, o.workers/1000); k > 0; k-- {
		if i := anyWorker(); i >= 0 {
			o.people[i].extraUSB = append(o.people[i].extraUSB, kvmPiKVM)
			lab = append(lab, i)
		}
	}
	for k := max(1, o.workers/300); k > 0; k-- {
		if i := anyWorker(); i >= 0 {
			o.people[i].extraApps = append(o.people[i].extraApps, rmmTeamViewer)
			it = append(it, i)
		}
	}
	o.benign = append(o.benign,
		Benign{Kind: "homelab_ip_kvm", Members: ids(lab), Detail: "an engineer's own PiKVM plugged into the laptop"},
		Benign{Kind: "it_support_rmm", Members: ids(it), Detail: "IT support staff with the sanctioned TeamViewer"})
	// Derived look-alikes.
	var east, korean, eor, owls []int
	offices := map[*office][]int{}
	for i := 0; i < o.workers; i++ {
		p := o.people[i]
		if p.covert != nil || !p.end.IsZero() {
			continue
		}
		if eastAsia[p.country.code] {
			east = append(east, i)
		}
		if p.country.code == "US" && p.family != "" && isKorean(p.family) && !used[i] {
			kr := newRNG(uint64(o.cfg.Seed), streamPlan, 77, uint64(i))
			if kr.chance(0.5) {
				p.keyboard = append(p.keyboard, "com.apple.inputmethod.Korean.2SetKorean")
				korean = append(korean, i)
			}
		}
		if p.pay.holder == eorAccount.holder {
			eor = append(eor, i)
		}
		if p.office != nil {
			offices[p.office] = append(offices[p.office], i)
		}
		owl := newRNG(uint64(o.cfg.Seed), streamPlan, 78, uint64(i))
		if !used[i] && owl.chance(0.03) {
			p.startHour = clampF(r.norm(13.5, 1), 12, 16)
			owls = append(owls, i)
		}
	}
	o.benign = append(o.benign,
		Benign{Kind: "east_asia_resident", Members: ids(east), Detail: "really live and work in Japan, Korea, Taiwan, China or Singapore"},
		Benign{Kind: "korean_keyboard_layout", Members: ids(korean), Detail: "US staff with a Korean input method (opt-in data; never a signal alone)"},
		Benign{Kind: "payroll_provider_account", Members: ids(eor), Detail: "contractors paid through the employer-of-record's pooled account"},
		Benign{Kind: "night_owl", Members: ids(owls), Detail: "US staff who start work after noon"},
	)
	for _, off := range o.offices {
		if len(offices[off]) > 0 {
			o.benign = append(o.benign, Benign{Kind: "office_network_egress", Members: ids(offices[off]), Detail: off.name + " egress " + ipString(off.ips[0]) + "/30"})
		}
	}
}

func isKorean(family string) bool {
	for _, f := range cultures["korean"].family {
		if f == family {
			return true
		}
	}
	return false
}
