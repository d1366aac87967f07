package ofac

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"molehunt"

	"github.com/google/go-cmp/cmp"
)

// enhancedExcerpt is the real CONS_ENHANCED.XML of 2025-01-10 cut to four
// entities (reference values dropped).
func enhancedExcerpt(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "CONS_ENHANCED.XML"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func zipOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseEnhancedExcerpt(t *testing.T) {
	xmlData := enhancedExcerpt(t)
	entries, version, err := ParseEnhanced(molehunt.ListOFACCons, xmlData)
	if err != nil {
		t.Fatalf("ParseEnhanced: %v", err)
	}
	if version != "2025-01-10" {
		t.Errorf("version %q; want 2025-01-10", version)
	}
	if len(entries) != 4 {
		t.Fatalf("got %d entries; want 4", len(entries))
	}
	zipped, zversion, err := ParseEnhanced(molehunt.ListOFACCons, zipOf(t, "CONS_ENHANCED.XML", xmlData))
	if err != nil {
		t.Fatalf("ParseEnhanced(zip): %v", err)
	}
	if diff := cmp.Diff(entries, zipped); diff != "" || zversion != version {
		t.Errorf("zip and bare XML differ (version %q vs %q) (-xml +zip):\n%s", version, zversion, diff)
	}

	want := molehunt.ListEntry{
		ID: "us_ofac_cons-26182", SourceID: "26182", List: molehunt.ListOFACCons, Type: molehunt.EntityPerson,
		Names:        []molehunt.Name{{Full: "KAYAKIRAN, Evren", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "KAYAKIRAN", Given: "Evren"}},
		Programs:     []string{"FSE-IR"},
		BirthDates:   []string{"1980-02-08"},
		Citizenships: []string{"Turkey"},
		Addresses:    []molehunt.Address{{Country: "Turkey"}},
		Documents:    []molehunt.IdentityDocument{{Type: "Passport", Number: "U00242309", Country: "Turkey"}},
		ListedOn:     "2019-02-07",
	}
	if diff := cmp.Diff(want, *byID(entries, "26182")); diff != "" {
		t.Errorf("26182 (-want +got):\n%s", diff)
	}

	vtb := byID(entries, "17013")
	if vtb.Type != molehunt.EntityOrganization || vtb.Names[0].Full != "VTB BANK PUBLIC JOINT STOCK COMPANY" || vtb.Names[0].Kind != molehunt.NamePrimary {
		t.Errorf("17013: type %q, first name %+v", vtb.Type, vtb.Names[0])
	}
	has := func(n molehunt.Name) bool {
		for _, m := range vtb.Names {
			if m == n {
				return true
			}
		}
		return false
	}
	for _, n := range []molehunt.Name{
		{Full: "JSC VTB BANK NEW DELHI BRANCH", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
		{Full: "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО", Kind: molehunt.NameOriginalScript, Quality: molehunt.NameStrong},
		{Full: "JSC VTB BANK", Kind: molehunt.NameFormerly, Quality: molehunt.NameStrong},
	} {
		if !has(n) {
			t.Errorf("17013: name %+v missing", n)
		}
	}
	if diff := cmp.Diff(molehunt.Address{Street: "29, Bolshaya Morskaya str.", City: "St. Petersburg", PostalCode: "190000", Country: "Russia"}, vtb.Addresses[0]); diff != "" {
		t.Errorf("17013 first address (-want +got):\n%s", diff)
	}
	for _, d := range []molehunt.IdentityDocument{
		{Type: "SWIFT/BIC", Number: "VTBRRUMM"},
		{Type: "Tax ID No.", Number: "7702070139", Country: "Russia"},
	} {
		found := false
		for _, g := range vtb.Documents {
			found = found || g == d
		}
		if !found {
			t.Errorf("17013: document %+v missing from %+v", d, vtb.Documents)
		}
	}
	if diff := cmp.Diff([]string{"www.vtb.com", "www.vtb.ru"}, vtb.Websites); diff != "" {
		t.Errorf("17013 websites (-want +got):\n%s", diff)
	}
	if !strings.Contains(vtb.Remarks, "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations") {
		t.Errorf("17013: features without a field should be kept in Remarks; got %q", vtb.Remarks)
	}

	if diff := cmp.Diff([]string{"1962"}, byID(entries, "9639").BirthDates); diff != "" {
		t.Errorf("9639 birth dates (-want +got):\n%s", diff)
	}
	for _, e := range entries {
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v", e.ID, err)
		}
	}
}

func TestParseEnhancedErrors(t *testing.T) {
	const head = `<?xml version="1.0"?><sanctionsData xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML">` +
		`<publicationInfo><dataAsOf>2025-01-10T00:00:00</dataAsOf></publicationInfo><entities>`
	const name = `<names><name><isPrimary>true</isPrimary><isLowQuality>false</isLowQuality><translations><translation><isPrimary>true</isPrimary>` +
		`<formattedFullName>X</formattedFullName></translation></translations></name></names>`
	tests := []struct {
		name   string
		data   []byte
		record string
		field  string
	}{
		{"bad id", []byte(head + `<entity id="x1">` + name + `</entity></entities></sanctionsData>`), "entity[1]", "@id"},
		{"bad boolean", []byte(head + `<entity id="1"><names><name><isPrimary>maybe</isPrimary></name></names></entity></entities></sanctionsData>`),
			"entity[1] (id 1)", "names/name[1]/isPrimary"},
		{"no name", []byte(head + `<entity id="1"></entity></entities></sanctionsData>`), "entity[1] (id 1)", "names"},
		{"bad date", []byte(strings.Replace(head, "2025-01-10T00:00:00", "soon", 1) + `</entities></sanctionsData>`), "publicationInfo", "dataAsOf"},
		{"truncated", []byte(head + `<entity id="1">` + name), "entity[1] (line 1)", ""},
		{"not XML", []byte("sdn.csv is not XML"), "", ""},
		{"zip without XML", zipOf(t, "README.txt", []byte("hello")), "", ""},
		{"broken zip", []byte("PK\x03\x04 broken"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseEnhanced(molehunt.ListOFACCons, tt.data)
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("got %v (%T); want a *molehunt.RecordError", err, err)
			}
			if re.Record != tt.record || re.Field != tt.field {
				t.Errorf("got record %q field %q (%v); want %q %q", re.Record, re.Field, err, tt.record, tt.field)
			}
		})
	}
	// A well-formed file without any entity is an empty list, not an error.
	entries, version, err := ParseEnhanced(molehunt.ListOFACCons, []byte(head+`</entities></sanctionsData>`))
	if err != nil || len(entries) != 0 || version != "2025-01-10" {
		t.Errorf("empty list: got %d entries, version %q, err %v", len(entries), version, err)
	}
}
