package ofac

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"molehunt"
	"molehunt/internal/testdata"

	"github.com/google/go-cmp/cmp"
)

// readSet reads the named files of a shared data directory; missing
// optional files are left out.
func readSet(tb testing.TB, dir string, names []string) map[string][]byte {
	tb.Helper()
	files := make(map[string][]byte)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			tb.Fatalf("read %s: %v", n, err)
		}
		files[n] = b
	}
	return files
}

func byID(entries []molehunt.ListEntry, sourceID string) *molehunt.ListEntry {
	for i := range entries {
		if entries[i].SourceID == sourceID {
			return &entries[i]
		}
	}
	return nil
}

func TestRealSDN(t *testing.T) {
	dir := testdata.SharedData(t, "sanctions", "ofac", "sdn")
	entries, st, err := parseCSV(molehunt.ListOFACSDN, readSet(t, dir, SDNFiles))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	t.Logf("stats: %+v", st)
	types := map[molehunt.EntityType]int{}
	var dprk, crypto, weak, docs, dobs int
	for i := range entries {
		e := &entries[i]
		if err := e.Validate(); err != nil {
			t.Errorf("entry %s: %v", e.SourceID, err)
		}
		types[e.Type]++
		if slices.ContainsFunc(e.Programs, func(p string) bool { return strings.HasPrefix(p, "DPRK") }) {
			dprk++
		}
		if len(e.Crypto) > 0 {
			crypto++
		}
		if slices.ContainsFunc(e.Names, func(n molehunt.Name) bool { return n.Quality == molehunt.NameWeak }) {
			weak++
		}
		if len(e.Documents) > 0 {
			docs++
		}
		if len(e.BirthDates) > 0 {
			dobs++
		}
		for _, c := range e.Crypto {
			if c.Currency == "" || c.Address == "" || strings.ContainsAny(c.Address, " ;") {
				t.Errorf("entry %s: bad crypto address %+v", e.SourceID, c)
			}
		}
	}
	t.Logf("dprk %d, with crypto %d, with weak aliases %d, with documents %d, with DOB %d", dprk, crypto, weak, docs, dobs)
	wantTypes := map[molehunt.EntityType]int{
		molehunt.EntityPerson: 6854, molehunt.EntityOrganization: 6884,
		molehunt.EntityVessel: 851, molehunt.EntityAircraft: 376,
	}
	if diff := cmp.Diff(wantTypes, types); diff != "" {
		t.Errorf("entity types (-want +got):\n%s", diff)
	}
	if len(entries) != 14965 {
		t.Errorf("got %d entries; want 14965", len(entries))
	}
	if dprk != 484 {
		t.Errorf("got %d entries in a DPRK program; want 484", dprk)
	}
	if crypto < 50 {
		t.Errorf("got %d entries with digital currency addresses; want at least 50", crypto)
	}
	// SOURCES.md: 7,246 of the 8,191 alt.csv entities and 14,878 of the
	// 16,989 add.csv entities are in sdn.csv; the rest are orphans.
	if st.Alt != 19486 || st.Addresses != 22641 || st.Comments != 21 {
		t.Errorf("rows read: %+v; want 19486 alt, 22641 addresses, 21 comments", st)
	}
}

// TestRealSDNKnownEntries checks entries of the full 2024-05-03 SDN list
// field by field.
func TestRealSDNKnownEntries(t *testing.T) {
	dir := testdata.SharedData(t, "sanctions", "ofac", "sdn")
	entries, _, err := ParseCSV(molehunt.ListOFACSDN, readSet(t, dir, SDNFiles))
	if err != nil {
		t.Fatal(err)
	}
	choe := byID(entries, "18557")
	if choe == nil {
		t.Fatal("18557 (CHOE, Song Il) missing")
	}
	want := molehunt.ListEntry{
		ID: "us_ofac_sdn-18557", SourceID: "18557", List: molehunt.ListOFACSDN, Type: molehunt.EntityPerson,
		Names:        []molehunt.Name{{Full: "CHOE, Song Il", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "CHOE", Given: "Song Il"}},
		Programs:     []string{"NPWMD"},
		Title:        "Tanchon Commercial Bank Representative in Vietnam",
		BirthDates:   []string{"1973-06-08"},
		Citizenships: []string{"Korea, North"},
		Addresses:    []molehunt.Address{{Country: "Vietnam"}},
		Documents: []molehunt.IdentityDocument{
			{Type: "Passport", Number: "472320665", Country: "Korea, North", Expires: "2017-09-26"},
			{Type: "Passport", Number: "563120356", Country: "Korea, North", Issued: "2018-03-19"},
		},
	}
	choe.Remarks = ""
	if diff := cmp.Diff(want, *choe); diff != "" {
		t.Errorf("18557 (-want +got):\n%s", diff)
	}

	// 30518's wallet list runs past 1,000 characters; the address cut in
	// two by the limit must come back whole from sdn_comments.csv.
	var found bool
	for _, c := range byID(entries, "30518").Crypto {
		if strings.HasSuffix(c.Address, "ChmWqGtsaLrGbHfgdrV5Nkvahtjjuxr") {
			found = len(c.Address) > len("ChmWqGtsaLrGbHfgdrV5Nkvahtjjuxr")
		}
	}
	if !found {
		t.Errorf("30518: the wallet continued in sdn_comments.csv was not joined: %+v", byID(entries, "30518").Crypto)
	}
}

func TestRealCons(t *testing.T) {
	dir := testdata.SharedData(t, "sanctions", "ofac", "non-sdn")
	entries, st, err := parseCSV(molehunt.ListOFACCons, readSet(t, dir, ConsFiles))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if len(entries) != 442 {
		t.Errorf("got %d cons_prim entries; want 442", len(entries))
	}
	if st.Alt != 1073 || st.Addresses != 574 || st.Comments != 10 {
		t.Errorf("rows read: %+v; want 1073 alt, 574 addresses, 10 comments", st)
	}
	for i := range entries {
		if err := entries[i].Validate(); err != nil {
			t.Errorf("%s: %v", entries[i].ID, err)
		}
	}
}

func TestRealEnhanced(t *testing.T) {
	dir := testdata.SharedData(t, "sanctions", "ofac", "non-sdn")
	data, err := os.ReadFile(filepath.Join(dir, EnhancedFile))
	if err != nil {
		t.Fatal(err)
	}
	entries, version, err := ParseEnhanced(molehunt.ListOFACCons, data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if version != "2025-01-10" {
		t.Errorf("version %q; want 2025-01-10", version)
	}
	if len(entries) != 443 {
		t.Errorf("got %d entities; want 443", len(entries))
	}
	types := map[molehunt.EntityType]int{}
	var weak, docs, births int
	for i := range entries {
		e := &entries[i]
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v", e.ID, err)
		}
		types[e.Type]++
		for _, n := range e.Names {
			if n.Quality == molehunt.NameWeak {
				weak++
			}
		}
		docs += len(e.Documents)
		births += len(e.BirthDates)
	}
	// Counted in the XML: 80 Individual and 363 Entity, 70 names with
	// isLowQuality true, 692 identityDocument elements, 75 Birthdate
	// features.
	if diff := cmp.Diff(map[molehunt.EntityType]int{molehunt.EntityPerson: 80, molehunt.EntityOrganization: 363}, types); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	if weak < 70 {
		t.Errorf("%d weak names; want at least 70 (one per low-quality name, more with translations)", weak)
	}
	if docs < 692 {
		t.Errorf("%d documents; want at least 692", docs)
	}
	if births != 75 {
		t.Errorf("%d birth dates; want 75", births)
	}
}

// BenchmarkParseSDN parses the full SDN CSV set (sdn.csv 3.9 MB with its
// three companions).
func BenchmarkParseSDN(b *testing.B) {
	dir := testdata.SharedData(b, "sanctions", "ofac", "sdn")
	files := readSet(b, dir, SDNFiles)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseCSV(molehunt.ListOFACSDN, files); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseEnhanced parses the full consolidated Enhanced XML archive
// (3.4 MB of XML, 443 entities).
func BenchmarkParseEnhanced(b *testing.B) {
	dir := testdata.SharedData(b, "sanctions", "ofac", "non-sdn")
	data, err := os.ReadFile(filepath.Join(dir, EnhancedFile))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseEnhanced(molehunt.ListOFACCons, data); err != nil {
			b.Fatal(err)
		}
	}
}
