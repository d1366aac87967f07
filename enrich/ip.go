package enrich

import (
	"net/netip"

	"molehunt/enrich/ipdb"
)

// Class is the kind of network an address belongs to, the strongest one
// that applies (see IPInfo.Class). The values are stable: detectors and
// stored evidence use them.
type Class string

// The address classes, strongest first.
const (
	// ClassPrivate: not routable on the internet (RFC 1918, loopback,
	// link-local, CGNAT, documentation and other special-use ranges).
	ClassPrivate Class = "private"
	// ClassDPRK: the DPRK's own address space (AS131279 Star Joint
	// Venture, 175.45.176.0/22).
	ClassDPRK Class = "dprk"
	// ClassTor: a Tor exit, per the operator-supplied exit list.
	ClassTor Class = "tor"
	// ClassVPN: a VPN provider's AS or exit range (X4BNet VPN lists).
	ClassVPN Class = "vpn"
	// ClassHosting: a hosting or datacenter AS or range (X4BNet
	// datacenter lists). VPN services without an AS of their own, Astrill
	// VPN among them, rent exits here, so their users show as hosting.
	ClassHosting Class = "hosting"
	// ClassMobile: an AS that carries only a mobile carrier's subscribers
	// (a short, curated list; see mobileASN).
	ClassMobile Class = "mobile"
	// ClassResidential: routed, and in none of the lists above. This is
	// the default for access networks, so it also covers universities,
	// companies and mobile traffic of carriers that share one AS between
	// fixed and mobile lines: read it as "not a known hosting or VPN
	// network".
	ClassResidential Class = "residential"
	// ClassUnknown: not routed in the IP data, or not an address.
	ClassUnknown Class = "unknown"
)

// IPInfo is what the data says about one IP address.
//
// Class is the single strongest kind; the booleans say every kind that
// applies (a VPN exit in a hosting network has VPN and Hosting), and
// Sources names each list that matched, so a signal can cite it.
type IPInfo struct {
	Addr    netip.Addr `json:"addr"`
	ASN     uint32     `json:"asn,omitempty"`
	ASOrg   string     `json:"as_org,omitempty"`
	Country string     `json:"country,omitempty"` // registration country (whois/geofeed), not the user's location
	Class   Class      `json:"class"`
	Hosting bool       `json:"hosting,omitempty"`
	VPN     bool       `json:"vpn,omitempty"`
	Tor     bool       `json:"tor,omitempty"`
	Mobile  bool       `json:"mobile,omitempty"`
	DPRK    bool       `json:"dprk,omitempty"`
	// Sources names what matched: "netintel:datacenter-asn",
	// "netintel:vpn-range", "tor:exit-list", "dprk:asn", "mobile:asn",
	// "special-use", "ipdb:country-kp-outside-dprk" (a network outside the
	// DPRK's space whose geofeed claims KP, as some VPN "virtual
	// locations" do). Shared between cached results: do not modify.
	Sources []string `json:"sources,omitempty"`
	// DataVersion names the ipdb, netintel and tor data used.
	DataVersion string `json:"data_version"`
}

// dprkASN are the autonomous systems of the DPRK's own address space.
// Verified in the 2026-06-17 data: of the ranges whose country is KP, only
// 175.45.176.0/22 (AS131279) is the DPRK's; the 72 others are IPv4 /32s
// to /24s and IPv6 /48s of networks in Europe, the US and Asia whose
// geofeeds claim KP.
var dprkASN = map[uint32]string{131279: "Star Joint Venture Co. Ltd. (Ryugyong)"}

var dprkNet = ipdb.NewSet([]netip.Prefix{netip.MustParsePrefix("175.45.176.0/22")})

// mobileASN are autonomous systems that, by their operators' own
// descriptions, carry mobile subscribers only. Confidence: medium. The
// IP data names organisations, not network types (AS6167 appears as
// "Verizon Business"), so names cannot be trusted for this; and most
// carriers mix fixed and mobile lines in one AS, which then classifies as
// residential. The list is short on purpose: a missed mobile network
// costs less than a home line called mobile.
var mobileASN = map[uint32]string{
	21928:  "T-Mobile USA",
	6167:   "Cellco Partnership (Verizon Wireless)",
	22394:  "Cellco Partnership (Verizon Wireless)",
	20057:  "AT&T Mobility",
	45609:  "Bharti Airtel mobile",
	55836:  "Reliance Jio",
	38266:  "Vodafone Idea",
	45271:  "Vodafone Idea (Idea Cellular)",
	9644:   "SK Telecom",
	16135:  "Turkcell",
	23693:  "Telkomsel",
	24203:  "XL Axiata",
	35819:  "Etihad Etisalat (Mobily)",
	132199: "Globe Telecom mobile",
}

// specialUse are ranges that are not private in net/netip's sense but are
// not internet hosts either.
var specialUse = ipdb.NewSet([]netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("100::/64"),
})

// IP returns what the data says about addr. IPv4-mapped IPv6 addresses
// are treated as IPv4 and zones are ignored.
func (e *Enricher) IP(addr netip.Addr) IPInfo {
	ns := e.net.Load()
	addr = addr.Unmap().WithZone("")
	key := addr.As16()
	if !addr.IsValid() {
		return IPInfo{Class: ClassUnknown, DataVersion: ns.dataVer}
	}
	if info, ok := ns.cache.get(key); ok {
		return info
	}
	info := e.classify(ns, addr)
	ns.cache.put(key, info)
	return info
}

func (e *Enricher) classify(ns *netState, a netip.Addr) IPInfo {
	info := IPInfo{Addr: a, Class: ClassUnknown, DataVersion: ns.dataVer}
	if !a.IsGlobalUnicast() || a.IsPrivate() || specialUse.Contains(a) {
		info.Class = ClassPrivate
		info.Sources = []string{"special-use"}
		return info
	}
	r := ns.db.Lookup(a)
	info.ASN, info.ASOrg, info.Country = r.ASN, r.Org, r.Country
	st := e.static
	var src []string
	if _, ok := dprkASN[r.ASN]; ok {
		info.DPRK = true
		src = append(src, "dprk:asn")
	}
	if dprkNet.Contains(a) {
		info.DPRK = true
		src = append(src, "dprk:range")
	}
	if info.Country == "KP" && !info.DPRK {
		src = append(src, "ipdb:country-kp-outside-dprk")
	}
	if ns.tor.Contains(a) {
		info.Tor = true
		src = append(src, "tor:exit-list")
	}
	if _, ok := st.vpnASN[r.ASN]; ok && r.ASN != 0 {
		info.VPN = true
		src = append(src, "netintel:vpn-asn")
	}
	if st.vpnNet.Contains(a) {
		info.VPN = true
		src = append(src, "netintel:vpn-range")
	}
	if _, ok := st.hostingASN[r.ASN]; ok && r.ASN != 0 {
		info.Hosting = true
		src = append(src, "netintel:datacenter-asn")
	}
	if st.hostingNet.Contains(a) {
		info.Hosting = true
		src = append(src, "netintel:datacenter-range")
	}
	if _, ok := mobileASN[r.ASN]; ok {
		info.Mobile = true
		src = append(src, "mobile:asn")
	}
	info.Sources = src
	switch {
	case info.DPRK:
		info.Class = ClassDPRK
	case info.Tor:
		info.Class = ClassTor
	case info.VPN:
		info.Class = ClassVPN
	case info.Hosting:
		info.Class = ClassHosting
	case info.Mobile:
		info.Class = ClassMobile
	case r.ASN != 0:
		info.Class = ClassResidential
	}
	return info
}
