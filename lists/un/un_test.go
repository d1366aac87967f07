package un_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"molehunt"
	"molehunt/internal/testdata"
	"molehunt/lists/un"
)

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func bySourceID(entries []molehunt.ListEntry) map[string]molehunt.ListEntry {
	m := make(map[string]molehunt.ListEntry, len(entries))
	for _, e := range entries {
		m[e.SourceID] = e
	}
	return m
}

func strong(full string, kind molehunt.NameKind) molehunt.Name {
	return molehunt.Name{Full: full, Kind: kind, Quality: molehunt.NameStrong}
}

func weak(full string, kind molehunt.NameKind) molehunt.Name {
	return molehunt.Name{Full: full, Kind: kind, Quality: molehunt.NameWeak}
}

const dprk = "Democratic People's Republic of Korea"

// TestParseExcerpt checks the mapping on real records copied unchanged from
// the 2026-02-27 list (testdata/excerpt.xml).
func TestParseExcerpt(t *testing.T) {
	entries, version, err := un.Parse(readFixture(t, "excerpt.xml"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if version != "2026-02-27" {
		t.Errorf("version = %q; want 2026-02-27", version)
	}
	if len(entries) != 9 {
		t.Fatalf("got %d entries; want 9", len(entries))
	}
	got := bySourceID(entries)
	tests := []struct {
		name        string
		want        molehunt.ListEntry
		wantRemarks []string // lines Remarks must contain
	}{
		{
			name: "DPRK individual, passport listed in three languages",
			want: molehunt.ListEntry{
				ID: "un_sc-KPi.006", SourceID: "KPi.006", List: molehunt.ListUNSC, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{
					strong("PAEK CHANG-HO", molehunt.NamePrimary),
					strong("Pak Chang-Ho", molehunt.NameAlias),
					strong("Paek Ch'ang-Ho", molehunt.NameAlias),
				},
				Programs:      []string{"DPRK"},
				BirthDates:    []string{"1964-06-18"},
				BirthPlaces:   []string{"Kaesong, " + dprk},
				Nationalities: []string{dprk},
				Documents: []molehunt.IdentityDocument{
					{Type: "Passport", Number: "381420754", Issued: "2011-12-07", Note: "Expires on 7 Dec. 2016"},
				},
				ListedOn: "2013-01-22",
			},
			wantRemarks: []string{"Designation: Senior official and head of the satellite control center of Korean Committee for Space Technology"},
		},
		{
			name: "DPRK individual with a Chinese original in an alias",
			want: molehunt.ListEntry{
				ID: "un_sc-KPi.035", SourceID: "KPi.035", List: molehunt.ListUNSC, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{
					strong("KIM CHOL SAM", molehunt.NamePrimary),
					strong("Jin Tiesan", molehunt.NameAlias),
					strong("金铁三", molehunt.NameOriginalScript),
				},
				Programs:      []string{"DPRK"},
				BirthDates:    []string{"1971-03-11"},
				Nationalities: []string{dprk},
				Documents:     []molehunt.IdentityDocument{{Type: "Passport", Number: "645120378", Country: dprk}},
				ListedOn:      "2016-11-30",
			},
		},
		{
			name: "Cyrillic original script, alias birth dates after the record's own",
			want: molehunt.ListEntry{
				ID: "un_sc-QDi.290", SourceID: "QDi.290", List: molehunt.ListUNSC, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{
					strong("DOKU KHAMATOVICH UMAROV", molehunt.NamePrimary),
					strong("Умаров Доку Хаматович", molehunt.NameOriginalScript),
					strong("Lom-ali Butayev (Butaev)", molehunt.NameAlias),
					strong("Dokka Umarov", molehunt.NameAlias),
				},
				Programs:      []string{"Al-Qaida"},
				BirthDates:    []string{"1964-04-13", "1965-04-13", "1964-05-12", "1955"},
				BirthPlaces:   []string{"Kharsenoy Village, Shatoyskiy (Sovetskiy) District, Chechenskaya Respublika, Russian Federation"},
				Nationalities: []string{"Russian Federation", "former Soviet Union"},
				Documents: []molehunt.IdentityDocument{
					{Type: "Passport", Number: "96 03 464086", Country: "Russian Federation", Issued: "2003-06-01"},
				},
				ListedOn: "2011-03-10",
			},
			wantRemarks: []string{"Physical description: 180 cm tall"},
		},
		{
			name: "Arabic original script, title, weak alias, approximate year",
			want: molehunt.ListEntry{
				ID: "un_sc-TAi.011", SourceID: "TAi.011", List: molehunt.ListUNSC, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{
					strong("AKHTAR MOHAMMAD MANSOUR SHAH MOHAMMED", molehunt.NamePrimary),
					strong("اختر محمد منصور شاه محمد", molehunt.NameOriginalScript),
					strong("Akhtar Mohammad Mansour Khan Muhammad", molehunt.NameAlias),
					strong("Akhtar Muhammad Mansoor", molehunt.NameAlias),
					strong("Akhtar Mohammad Mansoor", molehunt.NameAlias),
					weak("Naib Imam", molehunt.NameAlias),
				},
				Programs:      []string{"Taliban"},
				Title:         "Maulavi; Mullah",
				BirthDates:    []string{"1960", "1966"},
				BirthPlaces:   []string{"Band-e-Timur village, Maiwand District, Kandahar Province, Afghanistan"},
				Nationalities: []string{"Afghanistan"},
				Documents: []molehunt.IdentityDocument{
					{Type: "Passport", Number: "SE-011697", Country: "Afghanistan", Issued: "1988-01-25", Note: "issued in Kabul; expired on 23 Feb. 2000"},
				},
				ListedOn: "2001-01-25",
			},
			wantRemarks: []string{"Designation: Minister of Civil Aviation and Transportation under the Taliban regime"},
		},
		{
			name: "BETWEEN ranges expand to one year each",
			want: molehunt.ListEntry{
				ID: "un_sc-TAi.002", SourceID: "TAi.002", List: molehunt.ListUNSC, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{
					strong("MOHAMMAD HASSAN AKHUND", molehunt.NamePrimary),
					strong("محمد حسن آخوند", molehunt.NameOriginalScript),
				},
				Programs:      []string{"Taliban"},
				Title:         "Mullah; Haji",
				BirthDates:    []string{"1955", "1956", "1957", "1958", "1945", "1946", "1947", "1948", "1949", "1950"},
				BirthPlaces:   []string{"Pashmul village, Panjwai District, Kandahar Province, Afghanistan"},
				Nationalities: []string{"Afghanistan"},
				ListedOn:      "2001-01-25",
			},
			wantRemarks: []string{"Date of birth note: Approximately"},
		},
		{
			name: "DPRK entity with aliases and address",
			want: molehunt.ListEntry{
				ID: "un_sc-KPe.001", SourceID: "KPe.001", List: molehunt.ListUNSC, Type: molehunt.EntityOrganization,
				Names: []molehunt.Name{
					strong("KOREA MINING DEVELOPMENT TRADING CORPORATION", molehunt.NamePrimary),
					strong("CHANGGWANG SINYONG CORPORATION", molehunt.NameAlias),
					strong("EXTERNAL TECHNOLOGY GENERAL CORPORATION", molehunt.NameAlias),
					strong("DPRKN MINING DEVELOPMENT TRADING COOPERATION", molehunt.NameAlias),
					strong(`"KOMID"`, molehunt.NameAlias),
				},
				Programs:  []string{"DPRK"},
				Addresses: []molehunt.Address{{Street: "Central District", City: "Pyongyang", Country: dprk}},
				ListedOn:  "2009-04-24",
			},
		},
		{
			name: "entity whose alias is wholly in Chinese",
			want: molehunt.ListEntry{
				ID: "un_sc-KPe.059", SourceID: "KPe.059", List: molehunt.ListUNSC, Type: molehunt.EntityOrganization,
				Names: []molehunt.Name{
					strong("HUAXIN SHIPPING HONGKONG LTD", molehunt.NamePrimary),
					strong("華信船務(香港)有限公司", molehunt.NameOriginalScript),
				},
				Programs:  []string{"DPRK"},
				Addresses: []molehunt.Address{{Street: "Room 2105, Trend Centre, 29-31 Chueng Lee Street, Chai Wan", Region: "Hong Kong", Country: "China"}},
				ListedOn:  "2018-03-30",
			},
		},
		{
			name: "entity with Arabic original script and empty alias skipped",
			want: molehunt.ListEntry{
				ID: "un_sc-QDe.002", SourceID: "QDe.002", List: molehunt.ListUNSC, Type: molehunt.EntityOrganization,
				Names: []molehunt.Name{
					strong("AL-ITIHAAD AL-ISLAMIYA / AIAI", molehunt.NamePrimary),
					strong("الاتحاد الاسلامي", molehunt.NameOriginalScript),
				},
				Programs: []string{"Al-Qaida"},
				ListedOn: "2001-10-06",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := got[tt.want.SourceID]
			if !ok {
				t.Fatalf("no entry %s", tt.want.SourceID)
			}
			if diff := cmp.Diff(tt.want, e, cmpopts.IgnoreFields(molehunt.ListEntry{}, "Remarks")); diff != "" {
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
}

// TestParseHangul uses a synthetic record: the real list has no Hangul.
func TestParseHangul(t *testing.T) {
	entries, _, err := un.Parse(readFixture(t, "synthetic_hangul.xml"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []molehunt.ListEntry{{
		ID: "un_sc-KPi.900", SourceID: "KPi.900", List: molehunt.ListUNSC, Type: molehunt.EntityPerson,
		Names: []molehunt.Name{
			strong("RI SONG HYOK", molehunt.NamePrimary),
			strong("리성혁", molehunt.NameOriginalScript),
			strong("Ri Song-hyok", molehunt.NameAlias),
			weak("Li Cheng He", molehunt.NameAlias),
		},
		Programs:      []string{"DPRK"},
		BirthDates:    []string{"1978", "1979", "1980"},
		Nationalities: []string{dprk},
		Addresses:     []molehunt.Address{{City: "Beijing", Country: "China"}},
		Documents:     []molehunt.IdentityDocument{{Type: "Passport", Number: "654000000", Country: dprk, Issued: "2014-10-24"}},
		Remarks:       "Fictional test record.",
		ListedOn:      "2017-06-02",
	}}
	if diff := cmp.Diff(want, entries); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
}

// record wraps one INDIVIDUAL body in a minimal list.
func record(body string) string {
	return `<CONSOLIDATED_LIST dateGenerated="2026-01-02T00:00:00Z"><INDIVIDUALS><INDIVIDUAL>` +
		body + `</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`
}

// TestParseLenient checks that bad optional values keep the record and
// leave their raw text in Remarks.
func TestParseLenient(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		want        func(e molehunt.ListEntry) string // returns a complaint or ""
		wantRemarks []string
	}{
		{
			name: "bad dates are kept as text",
			body: `<DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><LISTED_ON>soon</LISTED_ON>
				<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1966-02-31</DATE></INDIVIDUAL_DATE_OF_BIRTH>
				<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR><TO_YEAR>196x</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
				<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>P1</NUMBER><DATE_OF_ISSUE>yesterday</DATE_OF_ISSUE></INDIVIDUAL_DOCUMENT>`,
			want: func(e molehunt.ListEntry) string {
				if len(e.BirthDates) != 0 || e.ListedOn != "" {
					return "bad dates were kept as dates"
				}
				if len(e.Documents) != 1 || e.Documents[0].Note != "issued yesterday" {
					return "document issue text not kept in its note"
				}
				return ""
			},
			wantRemarks: []string{"Listed on (unparsed): soon", "Date of birth (unparsed): 1966-02-31", "Date of birth (unparsed): between 1970 and 196x"},
		},
		{
			name: "DATAID stands in for a missing reference; month in the note",
			body: `<DATAID>77</DATAID><FIRST_NAME>B</FIRST_NAME><LISTED_ON>2001-01-25-05:00</LISTED_ON>
				<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973 </NOTE></INDIVIDUAL_DATE_OF_BIRTH>
				<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1958</YEAR><NOTE>Sep.</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
				<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1900</FROM_YEAR><TO_YEAR>1990</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>`,
			want: func(e molehunt.ListEntry) string {
				if e.ID != "un_sc-77" || e.ListedOn != "2001-01-25" {
					return "id " + e.ID + " listed " + e.ListedOn
				}
				if diff := cmp.Diff([]string{"1973-11", "1958-09", "1900", "1990"}, e.BirthDates); diff != "" {
					return diff
				}
				return ""
			},
			wantRemarks: []string{"Date of birth note: Nov. 1973", "Date of birth: between 1900 and 1990"},
		},
		{
			name: "no primary name but an alias",
			body: `<REFERENCE_NUMBER>X.2</REFERENCE_NUMBER><INDIVIDUAL_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME> Old
				Name </ALIAS_NAME></INDIVIDUAL_ALIAS>`,
			want: func(e molehunt.ListEntry) string {
				return cmp.Diff([]molehunt.Name{strong("Old Name", molehunt.NameFormerly)}, e.Names)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, version, err := un.Parse([]byte(record(tt.body)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if version != "2026-01-02" || len(entries) != 1 {
				t.Fatalf("version %q, %d entries; want 2026-01-02, 1", version, len(entries))
			}
			if msg := tt.want(entries[0]); msg != "" {
				t.Error(msg)
			}
			for _, r := range tt.wantRemarks {
				if !strings.Contains(entries[0].Remarks, r) {
					t.Errorf("Remarks = %q; want it to contain %q", entries[0].Remarks, r)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	excerpt := string(readFixture(t, "excerpt.xml"))
	cut := strings.Index(excerpt, "<ALIAS_NAME>Pak Chang-Ho") + len("<ALIAS_NAME>Pak")
	tests := []struct {
		name       string
		in         string
		wantRecord string
		wantField  string
	}{
		{"empty input", "", "", "CONSOLIDATED_LIST"},
		{"wrong root", `<sdnList></sdnList>`, "sdnList", "CONSOLIDATED_LIST"},
		{"truncated inside an alias", excerpt[:cut], "INDIVIDUAL[2] (KPi.006)", "INDIVIDUAL_ALIAS/ALIAS_NAME"},
		{"truncated between records", excerpt[:strings.Index(excerpt, "<ENTITIES>")], "CONSOLIDATED_LIST after INDIVIDUAL[6] (TAi.002)", "CONSOLIDATED_LIST"},
		{"mismatched tag", record(`<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>A</SECOND_NAME>`), "INDIVIDUAL[1] (X.1)", "FIRST_NAME"},
		{"no name", record(`<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME/>`), "INDIVIDUAL[1] (X.1)", "FIRST_NAME"},
		{"no identifier", record(`<FIRST_NAME>A</FIRST_NAME>`), "INDIVIDUAL[1]", "REFERENCE_NUMBER"},
		{"duplicate reference", `<CONSOLIDATED_LIST><INDIVIDUALS>
			<INDIVIDUAL><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>
			<INDIVIDUAL><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>
			</INDIVIDUALS></CONSOLIDATED_LIST>`, "INDIVIDUAL[2] (X.1)", "REFERENCE_NUMBER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, _, err := un.Parse([]byte(tt.in))
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v (%d entries); want *molehunt.RecordError", err, len(entries))
			}
			if re.File != un.File || re.Record != tt.wantRecord || re.Field != tt.wantField {
				t.Errorf("RecordError{File %q, Record %q, Field %q}; want {%q, %q, %q}",
					re.File, re.Record, re.Field, un.File, tt.wantRecord, tt.wantField)
			}
			if entries != nil {
				t.Errorf("got %d entries with an error; want none", len(entries))
			}
		})
	}
}

// TestParseFull reads the whole real list from the shared data.
func TestParseFull(t *testing.T) {
	data, err := os.ReadFile(testdata.SharedData(t, "sanctions", "un", "consolidated.xml"))
	if err != nil {
		t.Fatal(err)
	}
	entries, version, err := un.Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if version != "2026-02-27" {
		t.Errorf("version = %q; want 2026-02-27", version)
	}
	types := map[molehunt.EntityType]int{}
	programs := map[string]int{}
	scripts := map[string]int{}
	ids := map[string]bool{}
	var originals int
	for _, e := range entries {
		types[e.Type]++
		for _, p := range e.Programs {
			programs[p]++
		}
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		if err := e.Validate(); err != nil {
			t.Errorf("%s: Validate: %v", e.ID, err)
		}
		for _, n := range e.Names {
			if n.Kind == molehunt.NameOriginalScript {
				originals++
				scripts[scriptOf(n.Full)]++
			}
		}
	}
	if types[molehunt.EntityPerson] != 730 || types[molehunt.EntityOrganization] != 273 || len(entries) != 1003 {
		t.Errorf("types = %v, %d entries; want 730 persons, 273 organizations", types, len(entries))
	}
	if programs["DPRK"] != 155 {
		t.Errorf("DPRK entries = %d; want 155", programs["DPRK"])
	}
	// 378 NAME_ORIGINAL_SCRIPT elements, plus aliases written in Chinese or Arabic.
	if originals < 378 || scripts["Arabic"] == 0 || scripts["Cyrillic"] == 0 || scripts["Han"] == 0 {
		t.Errorf("%d original-script names by script %v; want at least 378 with Arabic, Cyrillic and Han", originals, scripts)
	}
	t.Logf("original-script names by script: %v (no Hangul in this edition)", scripts)

	kp, ok := bySourceID(entries)["KPi.001"]
	if !ok {
		t.Fatal("no KPi.001")
	}
	want := []molehunt.Name{strong("YUN HO-JIN", molehunt.NamePrimary), strong("Yun Ho-chin", molehunt.NameAlias)}
	if diff := cmp.Diff(want, kp.Names); diff != "" || kp.ListedOn != "2009-07-16" {
		t.Errorf("KPi.001 names (-want +got):\n%s\nlisted on %s", diff, kp.ListedOn)
	}
}

// scriptOf names the script of the first letter of s.
func scriptOf(s string) string {
	for _, r := range s {
		for _, name := range []string{"Latin", "Arabic", "Cyrillic", "Han", "Hangul"} {
			if unicode.Is(unicode.Scripts[name], r) {
				return name
			}
		}
	}
	return "other"
}

func FuzzParse(f *testing.F) {
	f.Add(readFixture(f, "excerpt.xml"))
	f.Add(readFixture(f, "synthetic_hangul.xml"))
	f.Add([]byte(record(`<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>
		<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1900</FROM_YEAR><TO_YEAR>1990</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>`)))
	f.Add([]byte(`<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>1</DATAID><ENTITY_ALIAS><ALIAS_NAME>x (ж)</ALIAS_NAME></ENTITY_ALIAS></ENTITY></ENTITIES></CONSOLIDATED_LIST>`))
	f.Add([]byte(`<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, err := un.Parse(data)
		if err != nil {
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("error %T %v is not a *molehunt.RecordError", err, err)
			}
			return
		}
		for _, e := range entries {
			if err := e.Validate(); err != nil {
				t.Fatalf("entry %s: %v", e.ID, err)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(testdata.SharedData(b, "sanctions", "un", "consolidated.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := un.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
