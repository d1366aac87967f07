package uscsl_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"molehunt"
	"molehunt/internal/testdata"
	"molehunt/lists/uscsl"
)

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func gzipped(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func bySourceID(entries []molehunt.ListEntry) map[string]molehunt.ListEntry {
	m := make(map[string]molehunt.ListEntry, len(entries))
	for _, e := range entries {
		m[e.SourceID] = e
	}
	return m
}

func primary(full string) molehunt.Name {
	return molehunt.Name{Full: full, Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong}
}

func aka(full string) molehunt.Name {
	return molehunt.Name{Full: full, Kind: molehunt.NameAlias, Quality: molehunt.NameStrong}
}

func withParts(n molehunt.Name, family, given string) molehunt.Name {
	n.Family, n.Given = family, given
	return n
}

// TestParseExcerpt checks the mapping on real rows of the 2022-05 file
// (testdata/excerpt.csv; values unchanged, re-quoted by a CSV writer).
func TestParseExcerpt(t *testing.T) {
	entries, version, err := uscsl.Parse(readFixture(t, "excerpt.csv"), uscsl.Options{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if version != "2022-03-09" {
		t.Errorf("version = %q; want 2022-03-09", version)
	}
	// 16 rows; ARIMERO HOLDING is on CAPTA and SDN and becomes one entry.
	if len(entries) != 15 {
		t.Fatalf("got %d entries; want 15", len(entries))
	}
	got := bySourceID(entries)
	tests := []struct {
		name        string
		want        molehunt.ListEntry
		wantRemarks []string
	}{
		{
			name: "Denied Persons row: untyped, _id as source id, US address",
			want: molehunt.ListEntry{
				ID: "us_csl-deb7a1d5743a85c354ca1a2c7f2664e2104b32d7", SourceID: "deb7a1d5743a85c354ca1a2c7f2664e2104b32d7",
				List: molehunt.ListUSCSL, Type: molehunt.EntityOrganization,
				Names:    []molehunt.Name{primary("I. ASH")},
				Programs: []string{"DPL"},
				Addresses: []molehunt.Address{{
					Street: "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI SEAGOVILLE, 2113 NORTH HIGHWAY 175",
					City:   "SEAGOVILLE", Region: "TX", PostalCode: "75159", Country: "US",
				}},
				ListedOn: "2003-06-19",
			},
			wantRemarks: []string{"End date: 2056-06-29", "Federal Register: 68 F.R. 38290"},
		},
		{
			name: "DPRK individual on the SDN list with passport",
			want: molehunt.ListEntry{
				ID: "us_csl-23012", SourceID: "23012", List: molehunt.ListUSCSL, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{
					withParts(primary("CHA, Sung Jun"), "CHA", "Sung Jun"),
					withParts(aka("CH'A, Su'ng-chun"), "CH'A", "Su'ng-chun"),
				},
				Programs:      []string{"SDN", "DPRK4"},
				BirthDates:    []string{"1966-06-04"},
				Nationalities: []string{"KP"},
				Addresses:     []molehunt.Address{{City: "Beijing", Country: "CN"}},
				Documents:     []molehunt.IdentityDocument{{Type: "Passport", Number: "472434355"}},
			},
			wantRemarks: []string{"Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210"},
		},
		{
			name: "rows of one OFAC party on two sub-lists merge",
			want: molehunt.ListEntry{
				ID: "us_csl-34616", SourceID: "34616", List: molehunt.ListUSCSL, Type: molehunt.EntityOrganization,
				Names:     []molehunt.Name{primary("ARIMERO HOLDING LIMITED")},
				Programs:  []string{"CAP", "RUSSIA-EO14024", "SDN"},
				Addresses: []molehunt.Address{{Street: "Agiou Andreou, 332, Partician Chambers", City: "Limassol", PostalCode: "3035", Country: "CY"}},
				Documents: []molehunt.IdentityDocument{{Type: "Registration Number", Number: "C146742", Country: "CY"}},
			},
			wantRemarks: []string{"Listing Date (EO 14024 Directive 2): 24 Feb 2022"},
		},
		{
			name: "year range of birth",
			want: molehunt.ListEntry{
				ID: "us_csl-19810", SourceID: "19810", List: molehunt.ListUSCSL, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{
					withParts(primary("ABU DAWUD, Musa"), "ABU DAWUD", "Musa"),
					withParts(aka("ABOU DAOUD, Moussa"), "ABOU DAOUD", "Moussa"),
					withParts(aka("BOURAHLA, Moussa"), "BOURAHLA", "Moussa"),
					aka("ABOU DAOUD"),
					withParts(aka("MOUSSA, Bourahla"), "MOUSSA", "Bourahla"),
				},
				Programs:    []string{"SDN", "SDGT"},
				BirthDates:  []string{"1958", "1959", "1960"},
				BirthPlaces: []string{"Cap Djinet, Algeria"},
			},
		},
		{
			name: "circa year of birth",
			want: molehunt.ListEntry{
				ID: "us_csl-8183", SourceID: "8183", List: molehunt.ListUSCSL, Type: molehunt.EntityPerson,
				Names:         []molehunt.Name{withParts(primary("ABD AL-GHAFAR, Sundus"), "ABD AL-GHAFAR", "Sundus")},
				Programs:      []string{"SDN", "IRAQ2"},
				BirthDates:    []string{"1967"},
				BirthPlaces:   []string{"Kirkuk, Iraq"},
				Nationalities: []string{"IQ"},
				Addresses:     []molehunt.Address{{Country: "IQ"}},
				Remarks:       "wife of Izzat Ibrahim Al-Duri",
			},
		},
		{
			name: "vessel with IMO number and call sign",
			want: molehunt.ListEntry{
				ID: "us_csl-31920", SourceID: "31920", List: molehunt.ListUSCSL, Type: molehunt.EntityVessel,
				Names:    []molehunt.Name{primary("AKADEMIK CHERSKIY"), aka("AKADEMIK CHERSKY"), aka("AKADEMIK CZERSKY")},
				Programs: []string{"SDN", "PEESA-EO14039"},
				Documents: []molehunt.IdentityDocument{
					{Type: "Vessel Registration Identification", Number: "IMO 8770261"},
					{Type: "Call Sign", Number: "UDQB"},
				},
			},
			wantRemarks: []string{"Vessel type: Pipe-laying Vessel", "Vessel flag: Russia"},
		},
		{
			name: "BIS Entity List row",
			want: molehunt.ListEntry{
				ID: "us_csl-36b9bed40af2770218ba60d7bad49c0e925f38ee", SourceID: "36b9bed40af2770218ba60d7bad49c0e925f38ee",
				List: molehunt.ListUSCSL, Type: molehunt.EntityOrganization,
				Names: []molehunt.Name{
					primary("AO Kronshtadt"), aka("Kronshtadt Group"), aka("Kronshtadt"), aka("Kronde Group"), aka("and ZAO Kronshtadt"),
				},
				Programs: []string{"EL"},
				Addresses: []molehunt.Address{
					{Street: "18 Stromynka Street", City: "Moscow", PostalCode: "107076", Country: "RU"},
					{Street: "In. 3-Ya V.O., D. 62 litera A Pom 162", City: "St. Petersburg", PostalCode: "199178", Country: "RU"},
					{Street: "54 Maly Prospekt Vasilyevskogo Ostrova, Building 4P", City: "St. Petersburg", PostalCode: "199178", Country: "RU"},
				},
				ListedOn: "2022-03-09",
			},
			wantRemarks: []string{"License requirement: For all items subject to the EAR.", "License policy: Policy of denial."},
		},
		{
			name: "website and e-mail from ids",
			want: molehunt.ListEntry{
				ID: "us_csl-12458", SourceID: "12458", List: molehunt.ListUSCSL, Type: molehunt.EntityOrganization,
				Names: []molehunt.Name{
					primary("AFRI BELG COMMERCIO E INDUSTRIA LDA"), aka("AFRI BELG"), aka("AFRI-BELG"), aka("AFRI-BELG SUPERMERCADOS"),
					aka("CASH & CARRY RETAIL STORES"), aka("AFRI-BELG CONTRUCTION"), aka("AFRI-BELG AGRICULTURE"),
				},
				Programs: []string{"SDN", "SDGT"},
				Addresses: []molehunt.Address{
					{Street: "Rua Comandante Valodia 266-268, Sao Paulo", City: "Luanda", Country: "AO"},
					{Street: "Avenida Comandante De Valodia n. 0.67, 1 Andar", City: "Luanda", Country: "AO"},
				},
				Emails:   []string{"afribelg@snte.co.ao"},
				Websites: []string{"www.grupoarosfran.net"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := got[tt.want.SourceID]
			if !ok {
				t.Fatalf("no entry %s", tt.want.SourceID)
			}
			opts := cmpopts.IgnoreFields(molehunt.ListEntry{}, "Remarks")
			if tt.want.Remarks != "" {
				opts = cmp.Options{}
			}
			if diff := cmp.Diff(tt.want, e, opts); diff != "" {
				t.Errorf("entry mismatch (-want +got):\n%s", diff)
			}
			for _, r := range tt.wantRemarks {
				if !strings.Contains(e.Remarks, r) {
					t.Errorf("Remarks = %q; want it to contain %q", e.Remarks, r)
				}
			}
			if err := e.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}

	crypto := got["29703"].Crypto
	if len(crypto) != 17 || crypto[0] != (molehunt.CryptoAddress{Currency: "XBT", Address: "1Fz29BQp82pE3vXXcsZoMNQ3KSHfMzfMe3"}) {
		t.Errorf("29703 crypto = %v; want 17 addresses starting with XBT 1Fz29BQp…", crypto)
	}
}

func TestParseGzip(t *testing.T) {
	plain := readFixture(t, "excerpt.csv")
	want, wantVersion, err := uscsl.Parse(plain, uscsl.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	got, version, err := uscsl.Parse(gzipped(t, plain), uscsl.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" || version != wantVersion {
		t.Errorf("gzip parse differs (-plain +gzip):\n%s\nversion %q, want %q", diff, version, wantVersion)
	}
}

func TestOptions(t *testing.T) {
	data := readFixture(t, "excerpt.csv")
	tests := []struct {
		name string
		opts uscsl.Options
		want []string // first program (source code) of each entry, in order
	}{
		{"no exclusions", uscsl.Options{}, []string{"DPL", "SDN", "SDN", "CAP", "SDN", "SDN", "SDN", "SDN", "EL", "DTC", "ISN", "MEU", "UVL", "CMIC", "SDN"}},
		{"default drops every Treasury source", uscsl.DefaultOptions(), []string{"DPL", "EL", "DTC", "ISN", "MEU", "UVL"}},
		{"by code, any case", uscsl.Options{ExcludeSources: []string{"sdn", "CAP", "cmic"}}, []string{"DPL", "EL", "DTC", "ISN", "MEU", "UVL"}},
		{"by agency", uscsl.Options{ExcludeSources: []string{"Bureau of Industry and Security"}}, []string{"SDN", "SDN", "CAP", "SDN", "SDN", "SDN", "SDN", "DTC", "ISN", "CMIC", "SDN"}},
		{"by full source text", uscsl.Options{ExcludeSources: []string{" Entity List (EL) - Bureau of Industry and Security "}}, []string{"DPL", "SDN", "SDN", "CAP", "SDN", "SDN", "SDN", "SDN", "DTC", "ISN", "MEU", "UVL", "CMIC", "SDN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, version, err := uscsl.Parse(data, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.Programs[0])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("source codes (-want +got):\n%s", diff)
			}
			if version != "2022-03-09" {
				t.Errorf("version = %q; want 2022-03-09 whatever the selection", version)
			}
		})
	}
}

const header = "_id,source,entity_number,type,programs,name,title,addresses,start_date,remarks,alt_names,dates_of_birth,ids\n"

// TestParseFields checks single columns on made-up rows.
func TestParseFields(t *testing.T) {
	tests := []struct {
		name string
		row  string
		want molehunt.ListEntry
	}{
		{
			name: "ids: documents with dates, crypto, information, gender",
			row:  `x1,Specially Designated Nationals (SDN) - Treasury Department,7,Individual,,"DOE, John",,,,,,,"JO, 2014-08-30, 2009-08-31, K475336, Passport; MD, 2004-07-02, 04900377, Driver's License No.; PA, 467323, Doc. 694710, Public Registration Number; 0xabc, Digital Currency Address - ETH; Male, Gender; 16 Jan 2017, Organization Established Date; +1 555, Phone Number; lonely"`,
			want: molehunt.ListEntry{
				ID: "us_csl-7", SourceID: "7", List: molehunt.ListUSCSL, Type: molehunt.EntityPerson,
				Names:    []molehunt.Name{withParts(primary("DOE, John"), "DOE", "John")},
				Programs: []string{"SDN"},
				Documents: []molehunt.IdentityDocument{
					{Type: "Passport", Number: "K475336", Country: "JO", Issued: "2009-08-31", Expires: "2014-08-30"},
					{Type: "Driver's License No.", Number: "04900377", Country: "MD", Note: "issued or expires 2004-07-02 (the list does not say which)"},
					{Type: "Public Registration Number", Number: "467323, Doc. 694710", Country: "PA"},
				},
				Crypto:  []molehunt.CryptoAddress{{Currency: "ETH", Address: "0xabc"}},
				Phones:  []string{"+1 555"},
				Remarks: "Organization Established Date: 16 Jan 2017\nlonely",
			},
		},
		{
			name: "dates: circa, range, day-month-year, bad; addresses from the end",
			row:  `x2,Entity List (EL) - Bureau of Industry and Security,,,,Acme,,"1 Main St, Springfield, IL, 62701, US; Basrah, IQ; 10 Road, Atlanta, GA; ; Tehran",2022-13-01,,,"circa 1944; 1969 to 1971; 04 Jun 1966; Mar 1955; 1900 to 1990; someday",`,
			want: molehunt.ListEntry{
				ID: "us_csl-x2", SourceID: "x2", List: molehunt.ListUSCSL, Type: molehunt.EntityOrganization,
				Names:      []molehunt.Name{primary("Acme")},
				Programs:   []string{"EL"},
				BirthDates: []string{"1944", "1969", "1970", "1971", "1966-06-04", "1955-03", "1900", "1990"},
				Addresses: []molehunt.Address{
					{Street: "1 Main St", City: "Springfield", Region: "IL", PostalCode: "62701", Country: "US"},
					{City: "Basrah", Country: "IQ"},
					// GA is also Gabon's code: a known ambiguity.
					{Street: "10 Road", City: "Atlanta", Country: "GA"},
					{City: "Tehran"},
				},
				Remarks: "Date of birth: 1900 to 1990\nDate of birth (unparsed): someday\nStart date (unparsed): 2022-13-01",
			},
		},
		{
			name: "unknown type and short codes without parentheses",
			row:  `x3,Some New List - Department of Nothing,,Ship,"A; B;",Boat Co,CEO,,,,"Boat Co; BoatCo",,`,
			want: molehunt.ListEntry{
				ID: "us_csl-x3", SourceID: "x3", List: molehunt.ListUSCSL, Type: molehunt.EntityOrganization,
				Names:    []molehunt.Name{primary("Boat Co"), aka("BoatCo")},
				Programs: []string{"Some New List", "A", "B"},
				Title:    "CEO",
				Remarks:  "Type: Ship",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, _, err := uscsl.Parse([]byte(header+tt.row+"\n"), uscsl.Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff([]molehunt.ListEntry{tt.want}, entries); diff != "" {
				t.Errorf("entries mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	good := readFixture(t, "excerpt.csv")
	corrupt := gzipped(t, good)
	corrupt[len(corrupt)/2] ^= 0xff
	tests := []struct {
		name       string
		in         []byte
		wantRecord string
		wantField  string
	}{
		{"empty", nil, "line 1", ""},
		{"missing name column", []byte("_id,source,type\n1,x,Entity\n"), "line 1", "name"},
		{"missing source column", []byte("_id,name\n1,x\n"), "line 1", "source"},
		{"bad quote", []byte(header + "a,b,,,,\"x\"y,,,,,,,\n"), "line 2", ""},
		{"wrong field count", []byte(header + "a,b,,,,c,,,,,,,\nd,e,f\n"), "line 3", ""},
		{"no name", []byte(header + "a,b,,,, ,,,,,;,,\n"), "line 2", "name"},
		{"no id", []byte(header + ",b,,,,c,,,,,,,\n"), "line 2", "_id"},
		{"corrupt gzip", corrupt, "", ""}, // Record is the line reached, which depends on the damage
		{"truncated gzip", gzipped(t, good)[:100], "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, _, err := uscsl.Parse(tt.in, uscsl.Options{})
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v (%d entries); want *molehunt.RecordError", err, len(entries))
			}
			if re.File != uscsl.File || (tt.wantRecord != "" && re.Record != tt.wantRecord) || re.Field != tt.wantField {
				t.Errorf("RecordError{File %q, Record %q, Field %q}; want {%q, %q, %q}",
					re.File, re.Record, re.Field, uscsl.File, tt.wantRecord, tt.wantField)
			}
			if entries != nil {
				t.Errorf("got %d entries with an error; want none", len(entries))
			}
		})
	}
}

// TestParseFull reads the whole real file from the shared data.
func TestParseFull(t *testing.T) {
	data, err := os.ReadFile(testdata.SharedData(t, "sanctions", "us-csl", "consolidated.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		opts        uscsl.Options
		wantEntries int
		wantBySrc   map[string]int // entries carrying each source code
	}{
		{
			// 14,160 rows; 112 are further rows of a party already on
			// another OFAC sub-list (or twice on CAPTA) and merge.
			name: "everything", opts: uscsl.Options{}, wantEntries: 14048,
			wantBySrc: map[string]int{
				"SDN": 10026, "EL": 2001, "DTC": 727, "DPL": 462, "SSI": 290, "UVL": 201, "ISN": 163,
				"PLC": 78, "MEU": 71, "CMIC": 68, "CAP": 52, "NS-MBS": 17, "FSE": 3,
			},
		},
		{
			name: "default options", opts: uscsl.DefaultOptions(), wantEntries: 3625,
			wantBySrc: map[string]int{"EL": 2001, "DTC": 727, "DPL": 462, "UVL": 201, "ISN": 163, "MEU": 71},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, version, err := uscsl.Parse(data, tt.opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if version != "2022-04-21" {
				t.Errorf("version = %q; want 2022-04-21", version)
			}
			if len(entries) != tt.wantEntries {
				t.Errorf("got %d entries; want %d", len(entries), tt.wantEntries)
			}
			codes := map[string]bool{}
			for _, c := range []string{"SDN", "EL", "DTC", "DPL", "SSI", "UVL", "ISN", "PLC", "MEU", "CMIC", "CAP", "NS-MBS", "FSE"} {
				codes[c] = true
			}
			bySrc := map[string]int{}
			ids := map[string]bool{}
			for _, e := range entries {
				for _, p := range e.Programs {
					if codes[p] {
						bySrc[p]++
					}
				}
				if ids[e.ID] {
					t.Errorf("duplicate id %s", e.ID)
				}
				ids[e.ID] = true
				if err := e.Validate(); err != nil {
					t.Errorf("%s: Validate: %v", e.ID, err)
				}
			}
			if diff := cmp.Diff(tt.wantBySrc, bySrc); diff != "" {
				t.Errorf("entries by source (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	excerpt := readFixture(f, "excerpt.csv")
	f.Add(excerpt)
	f.Add(gzipped(f, excerpt[:2000]))
	f.Add([]byte(header + `x1,A (B) - C,7,Individual,,"DOE, John",,"a, b, 1, US",,,,"circa 1944; 1969 to 1971","JO, 2014-08-30, 2009-08-31, K4, Passport; 0xabc, Digital Currency Address - ETH"` + "\n"))
	f.Add([]byte("\ufeff_id,source,name\n1,,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []uscsl.Options{{}, uscsl.DefaultOptions()} {
			entries, _, err := uscsl.Parse(data, opts)
			if err != nil {
				var re *molehunt.RecordError
				if !errors.As(err, &re) {
					t.Fatalf("error %T %v is not a *molehunt.RecordError", err, err)
				}
				continue
			}
			for _, e := range entries {
				if err := e.Validate(); err != nil {
					t.Fatalf("entry %s: %v", e.ID, err)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(testdata.SharedData(b, "sanctions", "us-csl", "consolidated.csv.gz"))
	if err != nil {
		b.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := plain.ReadFrom(zr); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		data []byte
		opts uscsl.Options
	}{
		{"gzip/all", data, uscsl.Options{}},
		{"gzip/default", data, uscsl.DefaultOptions()},
		{"plain/all", plain.Bytes(), uscsl.Options{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := uscsl.Parse(bc.data, bc.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
