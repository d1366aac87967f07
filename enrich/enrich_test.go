package enrich

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"molehunt"
	"molehunt/internal/testdata"
)

func newTest(t testing.TB, opts Options) *Enricher {
	t.Helper()
	e, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestIP(t *testing.T) {
	e := newTest(t, Options{TorExits: "testdata/exit-addresses"})
	tests := []struct {
		name, addr string
		want       IPInfo
		sources    []string // must all be present
	}{
		{"Google DNS", "8.8.8.8", IPInfo{ASN: 15169, ASOrg: "Google LLC", Country: "US", Class: ClassHosting, Hosting: true}, []string{"netintel:datacenter-asn"}},
		{"Google DNS v6", "2001:4860:4860::8888", IPInfo{ASN: 15169, ASOrg: "Google LLC", Country: "US", Class: ClassHosting, Hosting: true}, nil},
		{"DPRK Star JV", "175.45.176.1", IPInfo{ASN: 131279, ASOrg: "Star Joint Venture Co. Ltd.", Country: "KP", Class: ClassDPRK, DPRK: true}, []string{"dprk:asn", "dprk:range"}},
		{"DPRK range end", "175.45.179.255", IPInfo{ASN: 131279, ASOrg: "Star Joint Venture Co. Ltd.", Country: "KP", Class: ClassDPRK, DPRK: true}, nil},
		// A geofeed claims KP for this Norwegian network: country says
		// so, the class does not.
		{"KP geofeed claim", "95.141.91.193", IPInfo{ASN: 49409, ASOrg: "IVER NORGE AS", Country: "KP", Class: ClassResidential}, []string{"ipdb:country-kp-outside-dprk"}},
		{"DigitalOcean", "104.131.0.1", IPInfo{ASN: 14061, ASOrg: "DigitalOcean, LLC", Country: "US", Class: ClassHosting, Hosting: true}, nil},
		{"AWS", "52.95.110.1", IPInfo{ASN: 16509, ASOrg: "Amazon.com, Inc.", Country: "US", Class: ClassHosting, Hosting: true}, nil},
		{"Mullvad (31173) exit, hosting", "185.65.134.1", IPInfo{ASN: 39351, ASOrg: "31173 Services AB", Country: "NL", Class: ClassHosting, Hosting: true}, nil},
		{"M247 VPN exit", "82.102.16.1", IPInfo{ASN: 9009, ASOrg: "M247 Europe SRL", Country: "RO", Class: ClassVPN, VPN: true, Hosting: true}, []string{"netintel:vpn-asn", "netintel:vpn-range"}},
		{"Datacamp VPN exit", "2.26.157.1", IPInfo{ASN: 212238, ASOrg: "Datacamp Limited", Country: "US", Class: ClassVPN, VPN: true, Hosting: true}, nil},
		{"Comcast", "73.1.2.3", IPInfo{ASN: 7922, ASOrg: "Comcast Cable Communications, LLC", Country: "US", Class: ClassResidential}, nil},
		{"Charter", "98.1.1.1", IPInfo{ASN: 11351, ASOrg: "Charter Communications Inc", Country: "US", Class: ClassResidential}, nil},
		{"T-Mobile USA", "172.56.1.1", IPInfo{ASN: 21928, ASOrg: "T-Mobile USA, Inc.", Country: "US", Class: ClassMobile, Mobile: true}, []string{"mobile:asn"}},
		{"Tor exit", "185.220.101.1", IPInfo{ASN: 60729, ASOrg: "Stiftung Erneuerbare Freiheit", Country: "DE", Class: ClassTor, Tor: true, VPN: true, Hosting: true}, []string{"tor:exit-list"}},
		{"RFC 1918", "10.0.0.1", IPInfo{Class: ClassPrivate}, []string{"special-use"}},
		{"loopback", "127.0.0.1", IPInfo{Class: ClassPrivate}, nil},
		{"loopback v6", "::1", IPInfo{Class: ClassPrivate}, nil},
		{"CGNAT", "100.64.1.1", IPInfo{Class: ClassPrivate}, nil},
		{"link-local", "fe80::1", IPInfo{Class: ClassPrivate}, nil},
		{"documentation", "192.0.2.10", IPInfo{Class: ClassPrivate}, nil},
		{"mapped", "::ffff:8.8.8.8", IPInfo{ASN: 15169, ASOrg: "Google LLC", Country: "US", Class: ClassHosting, Hosting: true}, nil},
		{"unrouted", "0.255.0.1", IPInfo{Class: ClassPrivate}, nil},
	}
	ignore := cmpopts.IgnoreFields(IPInfo{}, "Addr", "Sources", "DataVersion")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.IP(netip.MustParseAddr(tt.addr))
			if diff := cmp.Diff(tt.want, got, ignore); diff != "" {
				t.Errorf("IP(%s) (-want +got):\n%s", tt.addr, diff)
			}
			for _, s := range tt.sources {
				if !slices.Contains(got.Sources, s) {
					t.Errorf("IP(%s).Sources = %v; want %q among them", tt.addr, got.Sources, s)
				}
			}
			if !strings.Contains(got.DataVersion, "ipdb=2026-06-17") || !strings.Contains(got.DataVersion, "netintel=2026-08-22") {
				t.Errorf("IP(%s).DataVersion = %q; want the ipdb and netintel versions", tt.addr, got.DataVersion)
			}
			if again := e.IP(netip.MustParseAddr(tt.addr)); !cmp.Equal(got, again, cmpopts.EquateComparable(netip.Addr{})) {
				t.Errorf("cached IP(%s) = %+v; want %+v", tt.addr, again, got)
			}
		})
	}
	if got := e.IP(netip.Addr{}); got.Class != ClassUnknown {
		t.Errorf("IP(zero).Class = %q; want unknown", got.Class)
	}
}

// TestDPRKSpace checks that exactly the DPRK's own space is class dprk:
// every address the embedded data gives country KP is either in
// 175.45.176.0/22 (class dprk) or a geofeed claim (not dprk).
func TestDPRKSpace(t *testing.T) {
	e := newTest(t, Options{})
	for _, s := range []string{"175.45.176.0", "175.45.177.77", "175.45.179.255"} {
		if got := e.IP(netip.MustParseAddr(s)); got.Class != ClassDPRK || got.Country != "KP" {
			t.Errorf("IP(%s) = %s %s; want dprk KP", s, got.Class, got.Country)
		}
	}
	for _, s := range []string{"175.45.175.255", "175.45.180.0", "31.6.16.15", "102.129.128.1", "2a0e:b107:d40::1"} {
		if got := e.IP(netip.MustParseAddr(s)); got.DPRK || got.Class == ClassDPRK {
			t.Errorf("IP(%s) = %s (AS%d %s); want not dprk", s, got.Class, got.ASN, got.ASOrg)
		}
	}
}

func TestTorNotLoaded(t *testing.T) {
	e := newTest(t, Options{})
	if got := e.IP(netip.MustParseAddr("185.220.101.1")); got.Tor || got.Class == ClassTor {
		t.Errorf("without an exit list, IP(185.220.101.1) = %s; want not tor", got.Class)
	}
	if got := e.Versions()["tor"]; got != "none" {
		t.Errorf(`Versions()["tor"] = %q; want "none"`, got)
	}
}

func TestPhone(t *testing.T) {
	e := newTest(t, Options{})
	tests := []struct {
		in   string
		want PhoneInfo
	}{
		{"+82 70-1234-5678", PhoneInfo{E164: "+827012345678", Country: "KR", LineType: LineVoIP, VoIP: true}},
		{"+44 56 0123 4567", PhoneInfo{E164: "+445601234567", Country: "GB", LineType: LineVoIP, VoIP: true}},
		{"+1 (415) 555-2671", PhoneInfo{E164: "+14155552671", Country: "US", LineType: LineFixedOrMobile, VoIPUndetectable: true}},
		{"+82 10-1234-5678", PhoneInfo{E164: "+821012345678", Country: "KR", LineType: LineMobile}},
		{"+44 20 7946 0018", PhoneInfo{E164: "+442079460018", Country: "GB", LineType: LineFixed}},
		{"0044 20 7946 0018", PhoneInfo{E164: "+442079460018", Country: "GB", LineType: LineFixed}},
		{"+1 201 201 8360", PhoneInfo{E164: "+12012018360", Country: "US", LineType: LineFixedOrMobile, VoIPUndetectable: true, Disposable: true, DisposableLastSeen: "2020-10-30"}},
		{"+44 113 320 3950", PhoneInfo{E164: "+441133203950", Country: "GB", LineType: LineFixed, Disposable: true, DisposableLastSeen: "2020-02-13"}},
		{"+1 800 555 0199", PhoneInfo{E164: "+18005550199", Country: "US", LineType: LineTollFree, VoIPUndetectable: true}},
	}
	for _, tt := range tests {
		got, err := e.Phone(tt.in)
		if err != nil {
			t.Errorf("Phone(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(PhoneInfo{}, "DataVersion")); diff != "" {
			t.Errorf("Phone(%q) (-want +got):\n%s", tt.in, diff)
		}
		if !strings.Contains(got.DataVersion, "phonenumbers=v") || !strings.Contains(got.DataVersion, "disposable-phone-numbers@2.1.802") {
			t.Errorf("Phone(%q).DataVersion = %q", tt.in, got.DataVersion)
		}
	}
	for _, in := range []string{"", "4155552671", "+1 555", "not a number", "+999 1234"} {
		if _, err := e.Phone(in); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
			t.Errorf("Phone(%q) err = %v; want code invalid", in, err)
		}
	}
}

func TestEmail(t *testing.T) {
	e := newTest(t, Options{})
	tests := []struct {
		in   string
		want EmailInfo
	}{
		{"someone@mailinator.com", EmailInfo{Canonical: "someone@mailinator.com", Domain: "mailinator.com", Disposable: true}},
		{"a@x.mailinator.com", EmailInfo{Canonical: "a@x.mailinator.com", Domain: "x.mailinator.com", Disposable: true}},
		{"John.Doe+jobs@GoogleMail.com", EmailInfo{Canonical: "johndoe@gmail.com", Domain: "gmail.com", FreeMail: true}},
		{"Jane <jane@proton.me>", EmailInfo{Canonical: "jane@proton.me", Domain: "proton.me", FreeMail: true}},
		{"hr@example-corp.com", EmailInfo{Canonical: "hr@example-corp.com", Domain: "example-corp.com", Role: true}},
		{"Admin+x@gmail.com", EmailInfo{Canonical: "admin@gmail.com", Domain: "gmail.com", FreeMail: true, Role: true}},
		{"no-reply@example-corp.com", EmailInfo{Canonical: "no-reply@example-corp.com", Domain: "example-corp.com", Role: true}},
		{"h.r@gmail.com", EmailInfo{Canonical: "hr@gmail.com", Domain: "gmail.com", FreeMail: true}}, // a person's dotted name, not hr@
		{"x@33mail.com", EmailInfo{Canonical: "x@33mail.com", Domain: "33mail.com", FreeMail: true, Suspicious: true}},
		{"alice@example-corp.com", EmailInfo{Canonical: "alice@example-corp.com", Domain: "example-corp.com"}},
	}
	for _, tt := range tests {
		got, err := e.Email(tt.in)
		if err != nil {
			t.Errorf("Email(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(EmailInfo{}, "DataVersion")); diff != "" {
			t.Errorf("Email(%q) (-want +got):\n%s", tt.in, diff)
		}
		if !strings.Contains(got.DataVersion, "disposable-email-domains-js@1.26.0") {
			t.Errorf("Email(%q).DataVersion = %q", tt.in, got.DataVersion)
		}
	}
	for _, in := range []string{"", "no-at-sign", "a@b", "@gmail.com"} {
		if _, err := e.Email(in); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
			t.Errorf("Email(%q) err = %v; want code invalid", in, err)
		}
	}
}

func TestVersions(t *testing.T) {
	v := newTest(t, Options{}).Versions()
	for _, k := range []string{"ipdb", "netintel", "tor", "free-email", "disposable-email", "suspicious-email", "disposable-phone", "phonenumbers"} {
		if v[k] == "" {
			t.Errorf("Versions()[%q] empty; got %v", k, v)
		}
	}
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRefresh(t *testing.T) {
	e := newTest(t, Options{})
	before := e.IP(netip.MustParseAddr("8.8.8.8"))

	// A valid but tiny file is refused: the data in use stays.
	asn := writeFile(t, "asn.csv", "8.8.8.0,8.8.8.255,64500,Test Org\n")
	cc := writeFile(t, "cc.csv", "8.8.8.0,8.8.8.255,NZ\n")
	err := e.Refresh(context.Background(), RefreshFiles{Version: "test-1", ASN: []string{asn}, Country: []string{cc}})
	if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Fatalf("Refresh(tiny) err = %v; want code invalid", err)
	}
	// A bad row names its file and line, and nothing changes.
	bad := writeFile(t, "bad.csv", "8.8.8.0,8.8.8.255,64500,Test\nnot,an,address,row\n")
	err = e.Refresh(context.Background(), RefreshFiles{Version: "test-2", ASN: []string{bad}, Country: []string{cc}})
	var re *molehunt.RecordError
	if !errors.As(err, &re) || re.File != bad || re.Record != "line 2" {
		t.Fatalf("Refresh(bad) err = %v; want a RecordError at %s line 2", err, bad)
	}
	if got := e.IP(netip.MustParseAddr("8.8.8.8")); !cmp.Equal(got, before, cmpopts.EquateComparable(netip.Addr{})) {
		t.Fatalf("after failed refreshes IP(8.8.8.8) = %+v; want %+v", got, before)
	}
	if err := e.Refresh(context.Background(), RefreshFiles{ASN: []string{asn}}); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("Refresh(ASN only) err = %v; want code invalid", err)
	}

	// A full-size file is swapped in, with its version, and the cache
	// does not serve the old answer.
	var b strings.Builder
	for i := range minRefreshEntries {
		fmt.Fprintf(&b, "1.%d.%d.0,1.%d.%d.255,%d,Org %d\n", i/256, i%256, i/256, i%256, 64512+i%2, i%2)
	}
	b.WriteString("8.8.8.0,8.8.8.255,64500,Test Org\n")
	asn = writeFile(t, "asn-full.csv", b.String())
	tor := writeFile(t, "exits.txt", "8.8.8.8\n")
	if err := e.Refresh(context.Background(), RefreshFiles{Version: "test-3", ASN: []string{asn}, Country: []string{cc}, TorExits: tor}); err != nil {
		t.Fatal(err)
	}
	got := e.IP(netip.MustParseAddr("8.8.8.8"))
	want := IPInfo{ASN: 64500, ASOrg: "Test Org", Country: "NZ", Class: ClassTor, Tor: true, Hosting: true} // Hosting: the datacenter range list still holds 8.8.8.0/24
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(IPInfo{}, "Addr", "Sources", "DataVersion")); diff != "" {
		t.Errorf("after refresh IP(8.8.8.8) (-want +got):\n%s", diff)
	}
	if !strings.Contains(got.DataVersion, "ipdb=test-3") || e.Versions()["ipdb"] != "test-3" {
		t.Errorf("after refresh DataVersion = %q, Versions = %v; want ipdb test-3", got.DataVersion, e.Versions())
	}
	if err := e.Refresh(context.Background(), RefreshFiles{TorExits: filepath.Join(t.TempDir(), "missing")}); molehunt.ErrorCodeOf(err) != molehunt.ENotFound {
		t.Errorf("Refresh(missing file) err = %v; want not_found", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	e := newTest(t, Options{CacheSize: 64})
	addrs := []string{"8.8.8.8", "175.45.176.1", "73.1.2.3", "10.0.0.1", "2001:4860:4860::8888"}
	want := make([]IPInfo, len(addrs))
	for i, a := range addrs {
		want[i] = e.IP(netip.MustParseAddr(a))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				k := (g + i) % len(addrs)
				if got := e.IP(netip.MustParseAddr(addrs[k])); got.Class != want[k].Class {
					t.Errorf("IP(%s) = %s; want %s", addrs[k], got.Class, want[k].Class)
					return
				}
				// Distinct addresses push the small cache to evict.
				e.IP(netip.AddrFrom4([4]byte{73, byte(g), byte(i >> 8), byte(i)}))
				if _, err := e.Email(fmt.Sprintf("u%d@gmail.com", i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := e.net.Load().cache.len(); n > 64 {
		t.Errorf("IP cache holds %d entries; want at most 64", n)
	}
}

func TestCacheDisabled(t *testing.T) {
	e := newTest(t, Options{CacheSize: -1})
	for range 2 {
		if got := e.IP(netip.MustParseAddr("8.8.8.8")); got.ASN != 15169 {
			t.Fatalf("IP(8.8.8.8).ASN = %d; want 15169", got.ASN)
		}
	}
	if n := e.net.Load().cache.len(); n != 0 {
		t.Errorf("disabled cache holds %d", n)
	}
}

func TestParseTorExits(t *testing.T) {
	f, err := os.Open("testdata/exit-addresses")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := parseTorExits("exit-addresses", f)
	if err != nil {
		t.Fatal(err)
	}
	if l.addresses != 2 || l.newest != "2026-11-23 01:12:40" {
		t.Errorf("parsed %d addresses, newest %q; want 2, 2026-11-23 01:12:40", l.addresses, l.newest)
	}
	for _, tt := range []struct{ in, field string }{
		{"ExitAddress\n", "ExitAddress"},
		{"ExitAddress 1.2.3 2026-01-01 00:00:00\n", "ExitAddress"},
		{"ExitAddress 1.2.3.4 yesterday noon\n", "ExitAddress"},
		{"Bogus keyword here\n", ""},
		{"1.2.3.4\nnot-an-ip\n", "address"},
	} {
		_, err := parseTorExits("x", strings.NewReader(tt.in))
		var re *molehunt.RecordError
		if !errors.As(err, &re) || re.Field != tt.field {
			t.Errorf("parseTorExits(%q) err = %v; want a RecordError on field %q", tt.in, err, tt.field)
		}
	}
}

func TestParseLists(t *testing.T) {
	m, err := parseASNList("a", strings.NewReader("AS9009 # M247\n\n# comment\nAS1 \n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[uint32]string{9009: "M247", 1: ""}, m); diff != "" {
		t.Errorf("parseASNList (-want +got):\n%s", diff)
	}
	ps, err := parseCIDRList("c", strings.NewReader("1.2.3.0/24\n2001:db8::/32 # doc\n9.9.9.9\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 || ps[2] != netip.MustParsePrefix("9.9.9.9/32") {
		t.Errorf("parseCIDRList = %v", ps)
	}
	for _, fn := range []func() error{
		func() error { _, err := parseASNList("a", strings.NewReader("AS9009\nASX\n")); return err },
		func() error { _, err := parseCIDRList("c", strings.NewReader("1.2.3.0/33\n")); return err },
	} {
		var re *molehunt.RecordError
		if err := fn(); !errors.As(err, &re) {
			t.Errorf("err = %v; want *molehunt.RecordError", err)
		}
	}
}

func fuzzParser(f *testing.F, seeds []string, parse func(string) error) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if err := parse(in); err != nil {
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %T %v; want *molehunt.RecordError", err, err)
			}
		}
	})
}

func FuzzParseTorExits(f *testing.F) {
	b, _ := os.ReadFile("testdata/exit-addresses")
	fuzzParser(f, []string{string(b), "1.2.3.4\n::1\n", "ExitAddress x"}, func(s string) error {
		_, err := parseTorExits("f", strings.NewReader(s))
		return err
	})
}

func FuzzParseASNList(f *testing.F) {
	fuzzParser(f, []string{"AS9009 # M247\n", "AS0\n", "#\n"}, func(s string) error {
		_, err := parseASNList("f", strings.NewReader(s))
		return err
	})
}

func FuzzParseCIDRList(f *testing.F) {
	fuzzParser(f, []string{"1.2.3.0/24\n", "2001:db8::/32\n", "fe80::1%eth0\n"}, func(s string) error {
		_, err := parseCIDRList("f", strings.NewReader(s))
		return err
	})
}

func FuzzEmail(f *testing.F) {
	e := newTest(f, Options{})
	for _, s := range []string{"a@gmail.com", "Jane <hr@x.mailinator.com>", "mailto:X@Y.Z", "@", "a@b@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := e.Email(s)
		if err != nil {
			if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
				t.Fatalf("Email(%q) err = %v; want code invalid", s, err)
			}
			return
		}
		if info.FreeMail && info.Disposable {
			t.Fatalf("Email(%q) is both free-mail and disposable", s)
		}
	})
}

func BenchmarkIP(b *testing.B) {
	e := newTest(b, Options{})
	addrs := make([]netip.Addr, 1<<12)
	for i := range addrs {
		addrs[i] = netip.AddrFrom4([4]byte{byte(1 + i*37%223), byte(i * 11), byte(i), 1})
	}
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			e.IP(addrs[i&(len(addrs)-1)])
			i++
		}
	})
	b.Run("uncached", func(b *testing.B) {
		e := newTest(b, Options{CacheSize: -1})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			e.IP(addrs[i&(len(addrs)-1)])
			i++
		}
	})
}

func BenchmarkEmail(b *testing.B) {
	addrs := []string{"john.doe+x@gmail.com", "a@mailinator.com", "hr@example-corp.com", "x@sub.33mail.com"}
	b.Run("cached", func(b *testing.B) {
		e := newTest(b, Options{})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			e.Email(addrs[i%len(addrs)])
			i++
		}
	})
	b.Run("uncached", func(b *testing.B) {
		e := newTest(b, Options{CacheSize: -1})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			e.Email(addrs[i%len(addrs)])
			i++
		}
	})
}

func BenchmarkPhone(b *testing.B) {
	for _, size := range []int{0, -1} {
		name := map[int]string{0: "cached", -1: "uncached"}[size]
		b.Run(name, func(b *testing.B) {
			e := newTest(b, Options{CacheSize: size})
			b.ReportAllocs()
			for b.Loop() {
				e.Phone("+82 70-1234-5678")
			}
		})
	}
}

func ExampleEnricher_IP() {
	e, err := New(Options{})
	if err != nil {
		panic(err)
	}
	info := e.IP(netip.MustParseAddr("175.45.176.1"))
	fmt.Println(info.ASN, info.ASOrg, info.Country, info.Class)
	// Output: 131279 Star Joint Venture Co. Ltd. KP dprk
}

// TestNetintelCopiesCurrent checks that the embedded copies of the
// netintel lists are the shared data's files, byte for byte, so a
// refreshed shared/data is not silently left behind (run go generate).
func TestNetintelCopiesCurrent(t *testing.T) {
	dir := testdata.SharedData(t, "netintel")
	for _, f := range []string{"datacenter-ASN.txt", "datacenter-ipv4.txt", "datacenter-ipv6.txt", "vpn-ASN.txt", "vpn-ipv4.txt", "vpn-ipv6.txt"} {
		want, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		gz, err := dataFS.ReadFile("data/netintel/" + f + ".gz")
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("embedded %s differs from shared data; run go generate in enrich/", f)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
