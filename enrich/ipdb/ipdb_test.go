package ipdb

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"molehunt"
)

func fixture(t testing.TB) *DB {
	t.Helper()
	a, err := os.Open("testdata/asn.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	c, err := os.Open("testdata/country.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	db, err := FromCSV("test", []Source{{"asn.csv", a}}, []Source{{"country.csv", c}})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestFromCSVLookup(t *testing.T) {
	db := fixture(t)
	tests := []struct {
		addr string
		want Result
	}{
		{"1.0.0.7", Result{13335, "Cloudflare, Inc.", "AU"}},
		{"8.8.8.8", Result{15169, "Google LLC", "US"}},
		{"::ffff:8.8.8.8", Result{15169, "Google LLC", "US"}},
		{"8.8.9.0", Result{}},
		{"0.0.0.0", Result{}},
		{"10.1.2.3", Result{}}, // AS0 is no AS
		{"175.45.177.10", Result{131279, "Star Joint Venture Co. Ltd.", "KP"}},
		{"200.0.0.1", Result{100, "Outer", "BR"}},
		{"200.0.1.1", Result{200, "Inner", "BR"}}, // nested row overrides
		{"200.0.2.0", Result{100, "Outer", "BR"}}, // container resumes
		{"200.0.5.5", Result{100, "Outer", "AR"}}, // nested /32 country
		{"200.0.5.6", Result{100, "Outer", "BR"}},
		{"255.255.255.255", Result{300, "Last", ""}},
		{"2001:4860:4860::8888", Result{15169, "Google LLC", "US"}},
		{"2001:4861::", Result{}},
		{"::", Result{}},
		{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Result{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, db.Lookup(netip.MustParseAddr(tt.addr))); diff != "" {
			t.Errorf("Lookup(%s) (-want +got):\n%s", tt.addr, diff)
		}
	}
	if got := db.Lookup(netip.Addr{}); got != (Result{}) {
		t.Errorf("Lookup(zero) = %v; want zero", got)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	db := fixture(t)
	var buf bytes.Buffer
	if err := db.Write(&buf); err != nil {
		t.Fatal(err)
	}
	first := append([]byte(nil), buf.Bytes()...)
	got, err := Read(&buf, "x")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(db, got, cmp.AllowUnexported(DB{}, u128{})); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	var again bytes.Buffer
	if err := got.Write(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again.Bytes()) {
		t.Error("Write is not reproducible: two writes of one database differ")
	}
}

// TestPartitionMatchesNaive checks the sweep against a direct reading of
// the rule (the row starting last wins; among equal starts the narrowest,
// then the last in the file) on random overlapping rows.
func TestPartitionMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 300 {
		var rows []span
		for i := range 1 + r.IntN(12) {
			s := uint64(r.IntN(60))
			e := s + uint64(r.IntN(20))
			rows = append(rows, span{start: u128{lo: s}, end: u128{lo: e}, val: uint32(i + 1)})
		}
		naive := func(x uint64) uint32 {
			var best *span
			for i := range rows {
				s := &rows[i]
				if s.start.lo > x || s.end.lo < x {
					continue
				}
				if best == nil || s.start.lo > best.start.lo || (s.start.lo == best.start.lo && s.end.lo <= best.end.lo) {
					best = s
				}
			}
			if best == nil {
				return 0
			}
			return best.val
		}
		want := make([]uint32, 100)
		for x := range want {
			want[x] = naive(uint64(x))
		}
		pts := partition(append([]span(nil), rows...), true)
		for x := range want {
			var got uint32
			for _, p := range pts {
				if p.at.lo <= uint64(x) {
					got = p.val
				}
			}
			if got != want[x] {
				t.Fatalf("iteration %d, rows %v: value at %d = %d; want %d (points %v)", iter, rows, x, got, want[x], pts)
			}
		}
	}
}

func TestFromCSVErrors(t *testing.T) {
	tests := []struct {
		name, asn, country, field string
	}{
		{"bad start", "x,1.0.0.1,1,a\n", "", "start"},
		{"bad end", "1.0.0.0,y,1,a\n", "", "end"},
		{"mixed family", "1.0.0.0,::1,1,a\n", "", "end"},
		{"reversed", "1.0.0.9,1.0.0.1,1,a\n", "", "end"},
		{"bad asn", "1.0.0.0,1.0.0.1,AS1,a\n", "", "asn"},
		{"short row", "1.0.0.0,1.0.0.1,1\n", "", ""},
		{"bad country", "", "1.0.0.0,1.0.0.1,Australia\n", "country"},
		{"bad quote", "1.0.0.0,1.0.0.1,1,\"a\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromCSV("v", []Source{{"a.csv", strings.NewReader(tt.asn)}}, []Source{{"c.csv", strings.NewReader(tt.country)}})
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v; want *molehunt.RecordError", err)
			}
			if re.Field != tt.field || !strings.HasPrefix(re.Record, "line ") {
				t.Errorf("error at %q field %q; want a line and field %q", re.Record, re.Field, tt.field)
			}
		})
	}
}

func TestReadRejectsCorruptInput(t *testing.T) {
	db := fixture(t)
	var buf bytes.Buffer
	if err := db.Write(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for _, in := range [][]byte{nil, []byte("not gzip"), good[:len(good)/2]} {
		_, err := Read(bytes.NewReader(in), "bad")
		var re *molehunt.RecordError
		if !errors.As(err, &re) {
			t.Errorf("Read(%d bytes) err = %v; want *molehunt.RecordError", len(in), err)
		}
	}
}

func TestEmbedded(t *testing.T) {
	db, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(db.Version(), "2026-06-17 ") {
		t.Errorf("Version() = %q; want the 2026-06-17 data", db.Version())
	}
	v4, v6, systems := db.Stats()
	if v4 < 300_000 || v6 < 100_000 || systems < 80_000 {
		t.Errorf("Stats() = %d, %d, %d; want the full tables", v4, v6, systems)
	}
	tests := []struct {
		addr string
		want Result
	}{
		{"8.8.8.8", Result{15169, "Google LLC", "US"}},
		{"2001:4860:4860::8888", Result{15169, "Google LLC", "US"}},
		{"175.45.176.1", Result{131279, "Star Joint Venture Co. Ltd.", "KP"}},
		{"73.1.2.3", Result{7922, "Comcast Cable Communications, LLC", "US"}},
		{"10.0.0.1", Result{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, db.Lookup(netip.MustParseAddr(tt.addr))); diff != "" {
			t.Errorf("Lookup(%s) (-want +got):\n%s", tt.addr, diff)
		}
	}
}

func TestSet(t *testing.T) {
	var ps []netip.Prefix
	for _, s := range []string{"10.0.0.0/8", "10.1.0.0/16", "11.0.0.0/8", "192.168.1.0/24", "255.255.255.255/32", "2001:db8::/32", "::/128"} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	s := NewSet(ps)
	if s.Len() != 5 { // 10/8 and 11/8 are adjacent and merge
		t.Errorf("Len() = %d; want 5", s.Len())
	}
	for addr, want := range map[string]bool{
		"10.2.3.4": true, "11.255.255.255": true, "12.0.0.0": false, "9.255.255.255": false,
		"192.168.1.9": true, "192.168.2.0": false, "255.255.255.255": true, "::ffff:10.0.0.1": true,
		"2001:db8:1::1": true, "2001:db9::": false, "::": true, "::1": false,
	} {
		if got := s.Contains(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Contains(%s) = %v; want %v", addr, got, want)
		}
	}
	if s.Contains(netip.Addr{}) {
		t.Error("Contains(zero) = true")
	}
}

func FuzzFromCSV(f *testing.F) {
	f.Add("1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n", "1.0.0.0,1.0.0.255,AU\n")
	f.Add("2001::,2001::ffff,6939,HE\n", "2001::,2001::1,US\n")
	f.Add("1.0.0.9,1.0.0.1,1,a\n", "x")
	f.Fuzz(func(t *testing.T, asn, country string) {
		db, err := FromCSV("f", []Source{{"a", strings.NewReader(asn)}}, []Source{{"c", strings.NewReader(country)}})
		if err != nil {
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %T %v; want *molehunt.RecordError", err, err)
			}
			return
		}
		db.Lookup(netip.MustParseAddr("1.0.0.1"))
		db.Lookup(netip.MustParseAddr("2001::1"))
	})
}

func FuzzRead(f *testing.F) {
	db := fixture(f)
	var buf bytes.Buffer
	if err := db.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		db, err := Read(bytes.NewReader(b), "f")
		if err != nil {
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %T %v; want *molehunt.RecordError", err, err)
			}
			return
		}
		db.Lookup(netip.MustParseAddr("200.0.1.1"))
		db.Lookup(netip.MustParseAddr("2001:4860::1"))
	})
}

// sample returns n addresses spread over the routed space of db, so that
// the benchmark walks the whole table rather than one cached path.
func sample(db *DB, n int, v6 bool) []netip.Addr {
	r := rand.New(rand.NewPCG(7, 7))
	out := make([]netip.Addr, n)
	for i := range out {
		if v6 {
			s := db.v6start[r.IntN(len(db.v6start))]
			var b [16]byte
			for k := range 8 {
				b[k] = byte(s.hi >> (56 - 8*k))
				b[8+k] = byte(s.lo>>(56-8*k)) | byte(r.IntN(256))
			}
			out[i] = netip.AddrFrom16(b)
		} else {
			x := db.v4start[r.IntN(len(db.v4start))] + uint32(r.IntN(16))
			out[i] = netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)})
		}
	}
	return out
}

func BenchmarkLookup(b *testing.B) {
	db, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	for _, fam := range []struct {
		name string
		v6   bool
	}{{"ipv4", false}, {"ipv6", true}} {
		addrs := sample(db, 1<<16, fam.v6)
		b.Run(fam.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				_ = db.Lookup(addrs[i&(len(addrs)-1)])
				i++
			}
		})
	}
}

func BenchmarkSetContains(b *testing.B) {
	db, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	var ps []netip.Prefix
	for i := 0; i < len(db.v4start); i += 10 {
		x := db.v4start[i]
		ps = append(ps, netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), 0}), 24))
	}
	s := NewSet(ps)
	addrs := sample(db, 1<<16, false)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = s.Contains(addrs[i&(len(addrs)-1)])
		i++
	}
}

func ExampleDB_Lookup() {
	db, err := Embedded()
	if err != nil {
		panic(err)
	}
	r := db.Lookup(netip.MustParseAddr("175.45.176.1"))
	fmt.Println(r.ASN, r.Org, r.Country)
	// Output: 131279 Star Joint Venture Co. Ltd. KP
}
