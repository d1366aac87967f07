package gen

import (
	"fmt"
	"net/netip"
	"strings"
)

// city is a place people live in, with what a login from there looks like.
type city struct {
	name       string
	region     string // state/province code as written in addresses ("CA"), or ""
	regionName string // as identity providers write it ("California")
	zip        string // postal code prefix; the rest is random digits
	zipLen     int
	tz         string // IANA zone
	lat, lon   float64
	area       []string // telephone area codes (NANP countries)
}

// country holds what the generator knows of a country.
type country struct {
	code     string
	name     string // as Okta's geographicalContext writes it
	weight   float64
	cultures cultureMix
	cities   []city
	isps     []*ipRange // residential access networks
	currency string
	// pay is how contractors there are paid: "ach" (US employees), "iban",
	// "wise", "payoneer" or "eor" (an employer-of-record provider).
	pay      string
	keyboard string // usual macOS keyboard layout
	phone    func(r *rng, c *city) string
}

// ipRange is a block of addresses of one autonomous system. The blocks are
// real: taken from the public ip-location-db ASN and ASN-country tables
// (npm @ip-location-db/asn and asn-country 2.3.2026061719, CC BY 4.0 /
// CC0, RouteViews and DB-IP data) and, for hosting and VPN exits, checked
// against X4BNet/lists_vpn (shared/data/netintel). Detectors classify IPs
// by real ASN data, so documentation ranges would not do.
type ipRange struct {
	lo, hi   uint32
	asn      uint32
	org      string // AS organisation, as Okta's securityContext.asOrg writes it
	domain   string
	country  string // ISO alpha-2 of the block
	geo      *city  // where geo-IP puts it; nil: the user's city
	proxy    bool   // a VPN exit (Okta securityContext.isProxy)
	category string // residential, hosting, vpn, office, mobile
}

func ipv4(s string) uint32 {
	a := netip.MustParseAddr(s).As4()
	return uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
}

func rng4(lo, hi string, asn uint32, org, domain, cc, cat string) *ipRange {
	return &ipRange{lo: ipv4(lo), hi: ipv4(hi), asn: asn, org: org, domain: domain, country: cc, category: cat}
}

// addr returns the n-th usable address of the block (wrapping), never a
// .0 or .255 host.
func (b *ipRange) addr(n uint64) uint32 {
	size := uint64(b.hi-b.lo) + 1
	a := b.lo + uint32(n%size)
	switch a & 0xff {
	case 0:
		a++
	case 255:
		a--
	}
	return a
}

func (b *ipRange) random(r *rng) uint32 { return b.addr(r.next()) }

func ipString(a uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", a>>24, a>>16&0xff, a>>8&0xff, a&0xff)
}

func appendIP(b []byte, a uint32) []byte {
	for i := 3; i >= 0; i-- {
		b = appendUint(b, uint64(a>>(8*uint(i))&0xff))
		if i > 0 {
			b = append(b, '.')
		}
	}
	return b
}

var (
	// Residential access networks.
	ispComcast  = rng4("73.0.0.0", "73.255.255.255", 7922, "comcast cable communications, llc", "comcast.net", "US", "residential")
	ispComcast2 = rng4("98.192.0.0", "98.255.255.255", 7922, "comcast cable communications, llc", "comcast.net", "US", "residential")
	ispVerizon  = rng4("71.97.212.0", "71.127.255.255", 701, "verizon business", "verizon.net", "US", "residential")
	ispATT      = rng4("107.192.0.0", "107.223.255.255", 7018, "at&t enterprises, llc", "att.net", "US", "residential")
	ispCharter  = rng4("174.80.0.0", "174.87.255.255", 20115, "charter communications", "spectrum.com", "US", "residential")
	ispCox      = rng4("68.0.0.0", "68.15.255.255", 22773, "cox communications inc.", "cox.net", "US", "residential")
	ispRogers   = rng4("99.224.0.0", "99.255.255.255", 812, "rogers communications canada inc.", "rogers.com", "CA", "residential")
	ispBell     = rng4("70.48.0.0", "70.55.255.255", 577, "bell canada", "bell.ca", "CA", "residential")
	ispBT       = rng4("86.128.0.0", "86.191.255.255", 2856, "british telecommunications plc", "bt.com", "GB", "residential")
	ispVirgin   = rng4("86.0.0.0", "86.31.255.255", 5089, "virgin media limited", "virginmedia.com", "GB", "residential")
	ispDTAG     = rng4("93.192.0.0", "93.255.255.255", 3320, "deutsche telekom ag", "telekom.de", "DE", "residential")
	ispDTAG2    = rng4("87.128.0.0", "87.191.255.255", 3320, "deutsche telekom ag", "telekom.de", "DE", "residential")
	ispOrange   = rng4("90.0.0.0", "90.36.127.255", 3215, "orange s.a.", "orange.fr", "FR", "residential")
	ispTelefon  = rng4("88.0.0.0", "88.31.255.255", 3352, "telefonica de espana s.a.u.", "telefonica.es", "ES", "residential")
	ispKPN      = rng4("77.160.0.0", "77.175.255.255", 1136, "kpn b.v.", "kpn.com", "NL", "residential")
	ispOrangePL = rng4("83.2.60.0", "83.31.255.255", 5617, "orange polska spolka akcyjna", "orange.pl", "PL", "residential")
	ispKyiv     = rng4("46.118.0.0", "46.119.255.255", 15895, "\"kyivstar\" pjsc", "kyivstar.net", "UA", "residential")
	ispJio      = rng4("157.32.0.0", "157.51.255.255", 55836, "reliance jio infocomm limited", "jio.com", "IN", "residential")
	ispAirtel   = rng4("122.160.245.0", "122.165.199.255", 24560, "bharti airtel limited", "airtel.com", "IN", "residential")
	ispOCN      = rng4("153.128.0.0", "153.253.255.255", 4713, "ntt communications corporation", "ocn.ne.jp", "JP", "residential")
	ispSoftbank = rng4("60.64.0.0", "60.159.255.255", 17676, "softbank corp.", "softbank.jp", "JP", "residential")
	ispKT       = rng4("175.214.184.0", "175.255.255.255", 4766, "korea telecom", "kt.com", "KR", "residential")
	ispSKB      = rng4("180.67.22.0", "180.71.255.255", 9318, "sk broadband co ltd", "skbroadband.com", "KR", "residential")
	ispHiNet    = rng4("114.32.0.0", "114.47.255.255", 3462, "chunghwa telecom co., ltd.", "hinet.net", "TW", "residential")
	ispSingtel  = rng4("121.6.0.0", "121.7.255.255", 9506, "singapore telecommunications ltd", "singtel.com", "SG", "residential")
	ispPLDT     = rng4("112.200.0.0", "112.211.255.255", 9299, "philippine long distance telephone company", "pldt.com.ph", "PH", "residential")
	ispVNPT     = rng4("113.160.0.0", "113.191.255.255", 45899, "vnpt corp", "vnpt.vn", "VN", "residential")
	ispChinanet = rng4("115.200.224.0", "115.219.255.255", 4134, "chinanet", "chinatelecom.com.cn", "CN", "residential")
	ispUnicomBJ = rng4("111.192.0.0", "111.202.241.255", 4808, "china unicom beijing province network", "chinaunicom.cn", "CN", "residential")
	ispClaro    = rng4("179.136.0.0", "179.143.255.255", 28573, "claro nxt telecomunicacoes ltda", "claro.com.br", "BR", "residential")
	ispUninet   = rng4("189.171.32.0", "189.183.63.255", 8151, "uninet s.a. de c.v.", "telmex.com", "MX", "residential")
	ispTelstra  = rng4("1.120.0.0", "1.159.255.255", 1221, "telstra limited", "telstra.com", "AU", "residential")
	ispTelecAR  = rng4("190.188.0.0", "190.195.255.255", 7303, "telecom argentina s.a.", "telecom.com.ar", "AR", "residential")
	ispMTN      = rng4("102.88.0.0", "102.95.255.255", 29465, "mtn nigeria communication limited", "mtnnigeria.net", "NG", "mobile")

	// Hosting networks where commercial VPN exits (Astrill has no ASN of
	// its own, INDICATORS.md §2.3) and rented servers sit.
	hostDO      = rng4("206.189.0.0", "206.189.255.255", 14061, "digitalocean, llc", "digitalocean.com", "US", "hosting")
	hostVultr   = rng4("45.76.0.0", "45.77.255.255", 20473, "the constant company, llc", "vultr.com", "US", "hosting")
	hostOVH     = rng4("54.36.0.0", "54.36.255.255", 16276, "ovh sas", "ovh.net", "FR", "hosting")
	hostHetzner = rng4("95.216.0.0", "95.217.255.255", 24940, "hetzner online gmbh", "hetzner.com", "DE", "hosting")
	hostDatacmp = rng4("89.187.160.0", "89.187.191.255", 60068, "datacamp limited", "cdn77.com", "CZ", "hosting")
	// VPN providers' own exits.
	vpnNord    = rng4("89.18.192.0", "89.18.223.255", 136787, "packethub s.a.", "nordvpn.com", "LV", "vpn")
	vpnM247    = rng4("146.70.8.0", "146.70.215.255", 9009, "m247 europe srl", "m247.com", "RO", "vpn")
	vpnMullvad = rng4("193.138.216.0", "193.138.219.255", 39351, "31173 services ab", "mullvad.net", "SE", "vpn")
	// Networks the advisories name (INDICATORS.md E8).
	netUnicomLN = rng4("60.0.0.0", "60.24.139.255", 4837, "china unicom china169 backbone", "chinaunicom.cn", "CN", "residential")
	netKP       = rng4("175.45.176.0", "175.45.179.255", 131279, "star joint venture co. ltd.", "star-co.net.kp", "KP", "residential")
	// Office egress: business fibre.
	netZayo1 = rng4("167.217.0.0", "167.217.255.255", 6461, "zayo bandwidth", "zayo.com", "US", "office")
	netZayo2 = rng4("144.83.0.0", "144.83.255.255", 6461, "zayo bandwidth", "zayo.com", "US", "office")
	netBTBiz = rng4("81.128.0.0", "81.159.255.255", 2856, "british telecommunications plc", "bt.com", "GB", "office")
	netAirBz = rng4("122.176.0.0", "122.177.249.255", 24560, "bharti airtel limited", "airtel.com", "IN", "office")
)

// Exits of VPN and hosting networks, with where geo-IP databases put them.
var (
	hostingExits = []*ipRange{hostDO, hostVultr, hostOVH, hostHetzner, hostDatacmp}
	vpnExits     = []*ipRange{vpnNord, vpnM247, vpnMullvad}
)

func init() {
	geo := map[*ipRange]city{
		hostDO:      {name: "North Bergen", regionName: "New Jersey", tz: "America/New_York", lat: 40.793, lon: -74.0247},
		hostVultr:   {name: "Piscataway", regionName: "New Jersey", tz: "America/New_York", lat: 40.5511, lon: -74.4606},
		hostOVH:     {name: "Roubaix", regionName: "Hauts-de-France", tz: "Europe/Paris", lat: 50.6942, lon: 3.1746},
		hostHetzner: {name: "Falkenstein", regionName: "Saxony", tz: "Europe/Berlin", lat: 50.4779, lon: 12.3713},
		hostDatacmp: {name: "Prague", regionName: "Prague", tz: "Europe/Prague", lat: 50.0755, lon: 14.4378},
		vpnNord:     {name: "Riga", regionName: "Riga", tz: "Europe/Riga", lat: 56.9496, lon: 24.1052},
		vpnM247:     {name: "Bucharest", regionName: "Bucharest", tz: "Europe/Bucharest", lat: 44.4268, lon: 26.1025},
		vpnMullvad:  {name: "Stockholm", regionName: "Stockholm", tz: "Europe/Stockholm", lat: 59.3293, lon: 18.0686},
		netUnicomLN: {name: "Shenyang", regionName: "Liaoning", tz: "Asia/Shanghai", lat: 41.8057, lon: 123.4315},
		netKP:       {name: "Pyongyang", regionName: "Pyongyang", tz: "Asia/Pyongyang", lat: 39.0392, lon: 125.7625},
	}
	for b, c := range geo {
		c := c
		b.geo = &c
	}
	vpnNord.proxy, vpnM247.proxy, vpnMullvad.proxy = true, true, true
}

func nanp(r *rng, c *city) string {
	area := pick(r, c.area)
	// Exchange codes start 2–9 and avoid N11 and the fictional 555.
	var ex int
	for {
		ex = r.between(201, 989)
		if ex%100 != 11 && ex != 555 && ex/100 >= 2 {
			break
		}
	}
	sub := r.digits(4)
	switch r.intn(4) {
	case 0:
		return fmt.Sprintf("(%s) %d-%s", area, ex, sub)
	case 1:
		return fmt.Sprintf("%s-%d-%s", area, ex, sub)
	case 2:
		return fmt.Sprintf("+1 %s %d %s", area, ex, sub)
	}
	return fmt.Sprintf("%s.%d.%s", area, ex, sub)
}

func intl(prefix string, lead []string, n int, sep string) func(r *rng, c *city) string {
	return func(r *rng, c *city) string {
		return prefix + " " + pick(r, lead) + sep + r.digits(n)
	}
}

var countries = []*country{
	{code: "US", name: "United States", weight: 55, currency: "USD", pay: "ach", keyboard: "com.apple.keylayout.US",
		cultures: cultureMix{{"anglo", 50}, {"hispanic", 14}, {"southasian", 8}, {"chinese", 6}, {"korean", 4}, {"vietnamese", 3},
			{"filipino", 3}, {"japanese", 1.5}, {"taiwanese", 1}, {"arabic", 2}, {"nigerian", 2}, {"german", 1.5}, {"polish", 1.5}, {"ukrainian", 1}, {"french", 0.5}},
		isps:  []*ipRange{ispComcast, ispComcast2, ispVerizon, ispATT, ispCharter, ispCox},
		phone: nanp,
		cities: []city{
			{"San Francisco", "CA", "California", "941", 5, "America/Los_Angeles", 37.7749, -122.4194, []string{"415", "628"}},
			{"Oakland", "CA", "California", "946", 5, "America/Los_Angeles", 37.8044, -122.2712, []string{"510"}},
			{"San Diego", "CA", "California", "921", 5, "America/Los_Angeles", 32.7157, -117.1611, []string{"619", "858"}},
			{"Seattle", "WA", "Washington", "981", 5, "America/Los_Angeles", 47.6062, -122.3321, []string{"206"}},
			{"Portland", "OR", "Oregon", "972", 5, "America/Los_Angeles", 45.5152, -122.6784, []string{"503", "971"}},
			{"Phoenix", "AZ", "Arizona", "850", 5, "America/Phoenix", 33.4484, -112.074, []string{"602", "480"}},
			{"Denver", "CO", "Colorado", "802", 5, "America/Denver", 39.7392, -104.9903, []string{"303", "720"}},
			{"Salt Lake City", "UT", "Utah", "841", 5, "America/Denver", 40.7608, -111.891, []string{"801"}},
			{"Austin", "TX", "Texas", "787", 5, "America/Chicago", 30.2672, -97.7431, []string{"512", "737"}},
			{"Dallas", "TX", "Texas", "752", 5, "America/Chicago", 32.7767, -96.797, []string{"214", "469"}},
			{"Chicago", "IL", "Illinois", "606", 5, "America/Chicago", 41.8781, -87.6298, []string{"312", "773"}},
			{"Minneapolis", "MN", "Minnesota", "554", 5, "America/Chicago", 44.9778, -93.265, []string{"612"}},
			{"Nashville", "TN", "Tennessee", "372", 5, "America/Chicago", 36.1627, -86.7816, []string{"615"}},
			{"New York", "NY", "New York", "100", 5, "America/New_York", 40.7128, -74.006, []string{"212", "646", "917"}},
			{"Brooklyn", "NY", "New York", "112", 5, "America/New_York", 40.6782, -73.9442, []string{"718", "347"}},
			{"Boston", "MA", "Massachusetts", "021", 5, "America/New_York", 42.3601, -71.0589, []string{"617", "857"}},
			{"Philadelphia", "PA", "Pennsylvania", "191", 5, "America/New_York", 39.9526, -75.1652, []string{"215", "267"}},
			{"Atlanta", "GA", "Georgia", "303", 5, "America/New_York", 33.749, -84.388, []string{"404", "678"}},
			{"Raleigh", "NC", "North Carolina", "276", 5, "America/New_York", 35.7796, -78.6382, []string{"919"}},
			{"Miami", "FL", "Florida", "331", 5, "America/New_York", 25.7617, -80.1918, []string{"305", "786"}},
			{"Columbus", "OH", "Ohio", "432", 5, "America/New_York", 39.9612, -82.9988, []string{"614"}},
			{"Arlington", "VA", "Virginia", "222", 5, "America/New_York", 38.8816, -77.091, []string{"703", "571"}},
		}},
	{code: "CA", name: "Canada", weight: 5, currency: "CAD", pay: "wise", keyboard: "com.apple.keylayout.US",
		cultures: cultureMix{{"anglo", 55}, {"french", 10}, {"chinese", 10}, {"southasian", 10}, {"korean", 3}, {"filipino", 4}, {"arabic", 3}, {"ukrainian", 3}},
		isps:     []*ipRange{ispRogers, ispBell}, phone: nanp,
		cities: []city{
			{"Toronto", "ON", "Ontario", "M5V", 0, "America/Toronto", 43.6532, -79.3832, []string{"416", "647"}},
			{"Vancouver", "BC", "British Columbia", "V6B", 0, "America/Vancouver", 49.2827, -123.1207, []string{"604", "778"}},
			{"Montreal", "QC", "Quebec", "H2X", 0, "America/Toronto", 45.5017, -73.5673, []string{"514", "438"}},
			{"Ottawa", "ON", "Ontario", "K1P", 0, "America/Toronto", 45.4215, -75.6972, []string{"613"}},
		}},
	{code: "GB", name: "United Kingdom", weight: 6, currency: "GBP", pay: "iban", keyboard: "com.apple.keylayout.British",
		cultures: cultureMix{{"anglo", 70}, {"southasian", 12}, {"polish", 4}, {"nigerian", 4}, {"chinese", 4}, {"arabic", 3}, {"french", 3}},
		isps:     []*ipRange{ispBT, ispVirgin}, phone: intl("+44", []string{"7911", "7400", "7520", "7825", "7956", "7412", "7588"}, 6, " "),
		cities: []city{
			{"London", "", "England", "SE1", 0, "Europe/London", 51.5074, -0.1278, nil},
			{"Manchester", "", "England", "M1", 0, "Europe/London", 53.4808, -2.2426, nil},
			{"Edinburgh", "", "Scotland", "EH1", 0, "Europe/London", 55.9533, -3.1883, nil},
			{"Bristol", "", "England", "BS1", 0, "Europe/London", 51.4545, -2.5879, nil},
		}},
	{code: "DE", name: "Germany", weight: 4, currency: "EUR", pay: "iban", keyboard: "com.apple.keylayout.German",
		cultures: cultureMix{{"german", 80}, {"polish", 5}, {"arabic", 5}, {"ukrainian", 4}, {"anglo", 3}, {"vietnamese", 3}},
		isps:     []*ipRange{ispDTAG, ispDTAG2}, phone: intl("+49", []string{"151", "160", "170", "171", "176"}, 8, " "),
		cities: []city{
			{"Berlin", "", "Land Berlin", "10", 5, "Europe/Berlin", 52.52, 13.405, nil},
			{"Munich", "", "Bavaria", "80", 5, "Europe/Berlin", 48.1351, 11.582, nil},
			{"Hamburg", "", "Hamburg", "20", 5, "Europe/Berlin", 53.5511, 9.9937, nil},
		}},
	{code: "FR", name: "France", weight: 2, currency: "EUR", pay: "iban", keyboard: "com.apple.keylayout.French",
		cultures: cultureMix{{"french", 80}, {"arabic", 10}, {"vietnamese", 3}, {"nigerian", 3}, {"spanish", 4}},
		isps:     []*ipRange{ispOrange}, phone: intl("+33", []string{"6 1", "6 2", "6 3", "6 4", "6 5", "6 6", "6 7", "6 8", "7 5", "7 6", "7 7", "7 8"}, 7, ""),
		cities: []city{
			{"Paris", "", "Île-de-France", "750", 5, "Europe/Paris", 48.8566, 2.3522, nil},
			{"Lyon", "", "Auvergne-Rhône-Alpes", "690", 5, "Europe/Paris", 45.764, 4.8357, nil},
		}},
	{code: "ES", name: "Spain", weight: 2, currency: "EUR", pay: "iban", keyboard: "com.apple.keylayout.Spanish-ISO",
		cultures: cultureMix{{"spanish", 85}, {"hispanic", 10}, {"arabic", 5}},
		isps:     []*ipRange{ispTelefon}, phone: intl("+34", []string{"6"}, 8, ""),
		cities: []city{
			{"Madrid", "", "Madrid", "280", 5, "Europe/Madrid", 40.4168, -3.7038, nil},
			{"Barcelona", "", "Catalonia", "080", 5, "Europe/Madrid", 41.3874, 2.1686, nil},
		}},
	{code: "NL", name: "Netherlands", weight: 2, currency: "EUR", pay: "iban", keyboard: "com.apple.keylayout.US",
		cultures: cultureMix{{"dutch", 80}, {"arabic", 6}, {"german", 4}, {"anglo", 5}, {"chinese", 5}},
		isps:     []*ipRange{ispKPN}, phone: intl("+31", []string{"6 1", "6 2", "6 3", "6 4", "6 5"}, 7, ""),
		cities: []city{
			{"Amsterdam", "", "North Holland", "10", 4, "Europe/Amsterdam", 52.3676, 4.9041, nil},
			{"Utrecht", "", "Utrecht", "35", 4, "Europe/Amsterdam", 52.0907, 5.1214, nil},
		}},
	{code: "PL", name: "Poland", weight: 3, currency: "PLN", pay: "iban", keyboard: "com.apple.keylayout.PolishPro",
		cultures: cultureMix{{"polish", 92}, {"ukrainian", 8}},
		isps:     []*ipRange{ispOrangePL}, phone: intl("+48", []string{"501", "601", "691", "730", "791"}, 6, " "),
		cities: []city{
			{"Warsaw", "", "Mazovia", "00-", 3, "Europe/Warsaw", 52.2297, 21.0122, nil},
			{"Kraków", "", "Lesser Poland", "30-", 3, "Europe/Warsaw", 50.0647, 19.945, nil},
			{"Wrocław", "", "Lower Silesia", "50-", 3, "Europe/Warsaw", 51.1079, 17.0385, nil},
		}},
	{code: "UA", name: "Ukraine", weight: 2, currency: "USD", pay: "payoneer", keyboard: "com.apple.keylayout.Ukrainian-PC",
		cultures: cultureMix{{"ukrainian", 95}, {"polish", 5}},
		isps:     []*ipRange{ispKyiv}, phone: intl("+380", []string{"67", "97", "68", "96"}, 7, " "),
		cities: []city{
			{"Kyiv", "", "Kyiv City", "01", 3, "Europe/Kyiv", 50.4501, 30.5234, nil},
			{"Lviv", "", "Lviv Oblast", "79", 3, "Europe/Kyiv", 49.8397, 24.0297, nil},
		}},
	{code: "IN", name: "India", weight: 5, currency: "USD", pay: "eor", keyboard: "com.apple.keylayout.US",
		cultures: cultureMix{{"southasian", 100}},
		isps:     []*ipRange{ispJio, ispAirtel}, phone: intl("+91", []string{"98", "99", "97", "90", "81", "70"}, 8, " "),
		cities: []city{
			{"Bengaluru", "", "Karnataka", "560", 3, "Asia/Kolkata", 12.9716, 77.5946, nil},
			{"Hyderabad", "", "Telangana", "500", 3, "Asia/Kolkata", 17.385, 78.4867, nil},
			{"Pune", "", "Maharashtra", "411", 3, "Asia/Kolkata", 18.5204, 73.8567, nil},
		}},
	{code: "JP", name: "Japan", weight: 2, currency: "JPY", pay: "eor", keyboard: "com.apple.inputmethod.Kotoeri.RomajiTyping.Japanese",
		cultures: cultureMix{{"japanese", 95}, {"korean", 3}, {"chinese", 2}},
		isps:     []*ipRange{ispOCN, ispSoftbank}, phone: intl("+81", []string{"90 1", "90 2", "90 3", "80 4", "80 5", "80 6", "70 7", "70 8", "90 9"}, 7, ""),
		cities: []city{
			{"Tokyo", "", "Tokyo", "1", 6, "Asia/Tokyo", 35.6762, 139.6503, nil},
			{"Osaka", "", "Osaka", "5", 6, "Asia/Tokyo", 34.6937, 135.5023, nil},
		}},
	{code: "KR", name: "South Korea", weight: 2, currency: "KRW", pay: "eor", keyboard: "com.apple.inputmethod.Korean.2SetKorean",
		cultures: cultureMix{{"korean", 100}},
		isps:     []*ipRange{ispKT, ispSKB}, phone: intl("+82", []string{"10 2", "10 3", "10 4", "10 7", "10 8", "10 9"}, 7, ""),
		cities: []city{
			{"Seoul", "", "Seoul", "0", 5, "Asia/Seoul", 37.5665, 126.978, nil},
			{"Busan", "", "Busan", "4", 5, "Asia/Seoul", 35.1796, 129.0756, nil},
			{"Pangyo", "", "Gyeonggi-do", "1", 5, "Asia/Seoul", 37.3947, 127.1112, nil},
		}},
	{code: "TW", name: "Taiwan", weight: 1.5, currency: "USD", pay: "eor", keyboard: "com.apple.inputmethod.TCIM.Zhuyin",
		cultures: cultureMix{{"taiwanese", 100}},
		isps:     []*ipRange{ispHiNet}, phone: intl("+886", []string{"912", "921", "933", "955", "988"}, 6, " "),
		cities: []city{
			{"Taipei", "", "Taipei City", "1", 3, "Asia/Taipei", 25.033, 121.5654, nil},
			{"Hsinchu", "", "Hsinchu City", "3", 3, "Asia/Taipei", 24.8138, 120.9675, nil},
		}},
	{code: "SG", name: "Singapore", weight: 1, currency: "SGD", pay: "wise", keyboard: "com.apple.keylayout.US",
		cultures: cultureMix{{"chinese", 70}, {"southasian", 15}, {"anglo", 10}, {"filipino", 5}},
		isps:     []*ipRange{ispSingtel}, phone: intl("+65", []string{"81", "82", "83", "84", "85", "86", "87", "88", "90", "91", "92", "93", "94", "95", "96", "97", "98"}, 6, ""),
		cities: []city{{"Singapore", "", "Singapore", "", 6, "Asia/Singapore", 1.3521, 103.8198, nil}}},
	{code: "CN", name: "China", weight: 1, currency: "USD", pay: "eor", keyboard: "com.apple.inputmethod.SCIM.ITABC",
		cultures: cultureMix{{"chinese", 100}},
		isps:     []*ipRange{ispChinanet, ispUnicomBJ}, phone: intl("+86", []string{"138", "139", "150", "186", "177"}, 8, " "),
		cities: []city{
			{"Shanghai", "", "Shanghai", "200", 3, "Asia/Shanghai", 31.2304, 121.4737, nil},
			{"Beijing", "", "Beijing", "100", 3, "Asia/Shanghai", 39.9042, 116.4074, nil},
			{"Shenzhen", "", "Guangdong", "518", 3, "Asia/Shanghai", 22.5431, 114.0579, nil},
		}},
	{code: "PH", name: "Philippines", weight: 2, currency: "USD", pay: "payoneer", keyboard: "com.apple.keylayout.US",
		cultures: cultureMix{{"filipino", 100}},
		isps:     []*ipRange{ispPLDT}, phone: intl("+63", []string{"917", "918", "927", "995"}, 7, " "),
		cities: []city{
			{"Manila", "", "Metro Manila", "10", 2, "Asia/Manila", 14.5995, 120.9842, nil},
			{"Cebu City", "", "Central Visayas", "60", 2, "Asia/Manila", 10.3157, 123.8854, nil},
		}},
	{code: "VN", name: "Vietnam", weight: 1.5, currency: "USD", pay: "payoneer", keyboard: "com.apple.keylayout.Vietnamese",
		cultures: cultureMix{{"vietnamese", 100}},
		isps:     []*ipRange{ispVNPT}, phone: intl("+84", []string{"91", "94", "98", "97"}, 7, " "),
		cities: []city{
			{"Ho Chi Minh City", "", "Ho Chi Minh", "70", 4, "Asia/Ho_Chi_Minh", 10.8231, 106.6297, nil},
			{"Hanoi", "", "Hanoi", "10", 4, "Asia/Bangkok", 21.0278, 105.8342, nil},
		}},
	{code: "BR", name: "Brazil", weight: 1.5, currency: "USD", pay: "wise", keyboard: "com.apple.keylayout.Brazilian",
		cultures: cultureMix{{"brazilian", 90}, {"japanese", 5}, {"arabic", 5}},
		isps:     []*ipRange{ispClaro}, phone: intl("+55", []string{"11 9", "21 9", "31 9"}, 8, ""),
		cities: []city{
			{"São Paulo", "", "São Paulo", "01", 6, "America/Sao_Paulo", -23.5505, -46.6333, nil},
			{"Belo Horizonte", "", "Minas Gerais", "30", 6, "America/Sao_Paulo", -19.9167, -43.9345, nil},
		}},
	{code: "MX", name: "Mexico", weight: 1.5, currency: "USD", pay: "wise", keyboard: "com.apple.keylayout.LatinAmerican",
		cultures: cultureMix{{"hispanic", 100}},
		isps:     []*ipRange{ispUninet}, phone: intl("+52", []string{"55", "33", "81"}, 8, " "),
		cities: []city{
			{"Mexico City", "", "Mexico City", "06", 3, "America/Mexico_City", 19.4326, -99.1332, nil},
			{"Guadalajara", "", "Jalisco", "44", 3, "America/Mexico_City", 20.6597, -103.3496, nil},
		}},
	{code: "AU", name: "Australia", weight: 1, currency: "AUD", pay: "wise", keyboard: "com.apple.keylayout.Australian",
		cultures: cultureMix{{"anglo", 70}, {"chinese", 10}, {"southasian", 8}, {"vietnamese", 4}, {"korean", 3}, {"filipino", 5}},
		isps:     []*ipRange{ispTelstra}, phone: intl("+61", []string{"412", "423", "433", "401"}, 6, " "),
		cities: []city{
			{"Sydney", "NSW", "New South Wales", "20", 2, "Australia/Sydney", -33.8688, 151.2093, nil},
			{"Melbourne", "VIC", "Victoria", "30", 2, "Australia/Melbourne", -37.8136, 144.9631, nil},
		}},
	{code: "AR", name: "Argentina", weight: 1, currency: "USD", pay: "payoneer", keyboard: "com.apple.keylayout.LatinAmerican",
		cultures: cultureMix{{"hispanic", 85}, {"spanish", 10}, {"german", 5}},
		isps:     []*ipRange{ispTelecAR}, phone: intl("+54", []string{"9 11 2", "9 11 3", "9 11 4", "9 11 5", "9 11 6"}, 7, ""),
		cities: []city{{"Buenos Aires", "", "Buenos Aires", "C10", 2, "America/Argentina/Buenos_Aires", -34.6037, -58.3816, nil}}},
	{code: "NG", name: "Nigeria", weight: 0.5, currency: "USD", pay: "payoneer", keyboard: "com.apple.keylayout.British",
		cultures: cultureMix{{"nigerian", 100}},
		isps:     []*ipRange{ispMTN}, phone: intl("+234", []string{"803", "806", "813", "816"}, 7, " "),
		cities: []city{{"Lagos", "", "Lagos", "10", 4, "Africa/Lagos", 6.5244, 3.3792, nil}}},
}

var countryIndex = map[string]*country{}

func init() {
	for _, c := range countries {
		countryIndex[c.code] = c
	}
}

func countryByCode(code string) *country { return countryIndex[strings.ToUpper(code)] }

// eastAsia are the countries whose real residents are the look-alike the
// fairness rules care most about (INDICATORS.md §5.2).
var eastAsia = map[string]bool{"JP": true, "KR": true, "TW": true, "CN": true, "SG": true}

// usBank is a US bank with a real ABA routing number (check digit valid).
type usBank struct {
	name, routing string
}

var usBanks = []usBank{
	{"JPMorgan Chase Bank", "021000021"}, {"Bank of America", "026009593"}, {"Wells Fargo Bank", "121000248"},
	{"Citibank", "021000089"}, {"U.S. Bank", "091000022"}, {"PNC Bank", "043000096"}, {"TD Bank", "031101266"},
	{"Capital One", "051405515"}, {"JPMorgan Chase Bank", "071000013"}, {"Wells Fargo Bank", "091000019"},
	{"Ally Bank", "124003116"}, {"The Bancorp Bank (Chime)", "031101279"}, {"Navy Federal Credit Union", "256074974"},
	{"Truist Bank", "061000104"}, {"Citizens Bank", "011500120"}, {"Fifth Third Bank", "042000314"},
	{"USAA Federal Savings Bank", "314074269"}, {"Regions Bank", "062000019"}, {"KeyBank", "041001039"},
}

// Evolve Bank & Trust holds Wise's US receiving accounts.
var evolve = usBank{"Evolve Bank & Trust", "084009519"}

// routingOK reports whether an ABA routing number's check digit is right.
func routingOK(s string) bool {
	if len(s) != 9 {
		return false
	}
	w := []int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i := 0; i < 9; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * w[i]
	}
	return sum%10 == 0
}
