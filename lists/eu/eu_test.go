package eu

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"molehunt"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// wantEntries is what testdata/eu_fsf.xml says, mapped by hand.
func wantEntries() []molehunt.ListEntry {
	const kp = "KOREA (DEMOCRATIC PEOPLE'S REPUBLIC OF)"
	return []molehunt.ListEntry{
		{
			ID: "eu_fsf-13", SourceID: "13", List: molehunt.ListEUFSF, Type: molehunt.EntityPerson,
			Names: []molehunt.Name{
				{Full: "Saddam Hussein Al-Tikriti", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "Hussein Al-Tikriti", Given: "Saddam"},
				{Full: "Abu Ali", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong},
				{Full: "Abou Ali", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong},
			},
			Programs:     []string{"IRQ"},
			BirthDates:   []string{"1937-04-28"},
			BirthPlaces:  []string{"al-Awja, near Tikrit, IRAQ"},
			Citizenships: []string{"IRAQ"},
			Remarks:      "UNSC RESOLUTION 1483",
			ListedOn:     "2003-07-08",
		},
		{
			ID: "eu_fsf-990011", SourceID: "990011", List: molehunt.ListEUFSF, Type: molehunt.EntityPerson,
			Names: []molehunt.Name{
				{Full: "Ri Won Ho", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "Ri", Given: "Won Ho"},
				{Full: "리원호", Kind: molehunt.NameOriginalScript, Quality: molehunt.NameStrong},
				{Full: "Ri Wonho", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong},
				{Full: "Ri", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
			},
			Programs:     []string{"PRK"},
			BirthDates:   []string{"1964-07-17"},
			Citizenships: []string{kp},
			Documents: []molehunt.IdentityDocument{{
				Type: "passport", Number: "654310175", Country: kp, Issued: "2011-02-21",
				Note: "National passport; Passport No 654310175 issued by the DPRK",
			}},
			Remarks:  "Function: Official of the Ministry of State Security",
			ListedOn: "2016-06-01",
		},
		{
			ID: "eu_fsf-990022", SourceID: "990022", List: molehunt.ListEUFSF, Type: molehunt.EntityOrganization,
			Names: []molehunt.Name{
				{Full: "Example Ocean Maritime Management Company, Limited", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong},
				{Full: "EOMM", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong},
			},
			Programs:  []string{"PRK"},
			Addresses: []molehunt.Address{{Street: "Donghung Dong, Central District, PO Box 120", City: "Pyongyang", Country: kp}},
			Documents: []molehunt.IdentityDocument{{Type: "imo", Number: "1790183", Note: "IMO Number"}},
			Emails:    []string{"info@example-eomm.kp"},
			Phones:    []string{"+850 2 18111", "+850 2 18222"},
			Remarks:   "Shipping company operating DPRK-flagged vessels.",
			ListedOn:  "2017-08-30",
		},
		{
			ID: "eu_fsf-507", SourceID: "507", List: molehunt.ListEUFSF, Type: molehunt.EntityPerson,
			Names: []molehunt.Name{
				{Full: "Abdul Rahman Yasin", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "Yasin", Given: "Abdul Rahman"},
				{Full: "Taha", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
			},
			Programs:     []string{"TAQA"},
			BirthDates:   []string{"1960-04-10", "1961", "1958", "1959"},
			BirthPlaces:  []string{"Bloomington, Indiana, UNITED STATES"},
			Citizenships: []string{"UNITED STATES"},
			Addresses: []molehunt.Address{
				{City: "Baghdad", Country: "IRAQ", Note: "Previous address"},
				{Street: "Al-Nabi Yunus Street 4", City: "Mosul", Region: "Nineveh", PostalCode: "41002", Country: "IRAQ"},
			},
			Documents: []molehunt.IdentityDocument{
				{Type: "national_id", Number: "SSN 156-92-9858", Country: "UNITED STATES", Note: "National identification card; (usa national identification no)"},
				{Type: "passport", Number: "27082171", Country: "UNITED STATES", Note: "National passport"},
			},
			ListedOn: "2003-05-20",
		},
	}
}

func TestParseExcerpts(t *testing.T) {
	xmlWant := wantEntries()
	// The CSV excerpt carries the same entities; CSV 1.1 has no structured
	// contact info, so the enterprise's phones and e-mails are XML-only.
	csvWant := wantEntries()
	csvWant[2].Emails, csvWant[2].Phones = nil, nil

	tests := []struct {
		name  string
		file  string
		parse func([]byte) ([]molehunt.ListEntry, string, error)
		want  []molehunt.ListEntry
	}{
		{"xml", FileXML, ParseXML, xmlWant},
		{"csv", FileCSV, ParseCSV, csvWant},
		{"xml sniffed", FileXML, Parse, xmlWant},
		{"csv sniffed", FileCSV, Parse, csvWant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, version, err := tt.parse(readFile(t, tt.file))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if version != "2024-12-11" {
				t.Errorf("version = %q; want 2024-12-11", version)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			for i := range got {
				if err := got[i].Validate(); err != nil {
					t.Errorf("entry %s: %v", got[i].ID, err)
				}
			}
		})
	}
}

func TestBadOptionalValuesAreKept(t *testing.T) {
	xml := `<export generationDate="2025-01-02T10:00:00+01:00">
  <sanctionEntity logicalId="77">
    <subjectType code="person" classificationCode="P"/>
    <nameAlias wholeName="Test Person" strong="true"/>
    <birthdate birthdate="1960-13-45" year="19x0"/>
    <identification number="X1" identificationTypeCode="passport" issueDate="someday"/>
  </sanctionEntity>
</export>`
	got, version, err := ParseXML([]byte(xml))
	if err != nil {
		t.Fatalf("ParseXML: %v", err)
	}
	if version != "2025-01-02" {
		t.Errorf("version = %q; want 2025-01-02", version)
	}
	if len(got) != 1 {
		t.Fatalf("got %d entries; want 1", len(got))
	}
	e := got[0]
	if len(e.BirthDates) != 0 {
		t.Errorf("BirthDates = %q; want none", e.BirthDates)
	}
	for _, raw := range []string{"1960-13-45", "19x0", "someday"} {
		if !strings.Contains(e.Remarks, raw) {
			t.Errorf("Remarks %q lack the raw value %q", e.Remarks, raw)
		}
	}
	if len(e.Documents) != 1 || e.Documents[0].Issued != "" {
		t.Errorf("Documents = %+v; want one with no issue date", e.Documents)
	}
}

func TestErrors(t *testing.T) {
	xmlData := readFile(t, FileXML)
	csvData := readFile(t, FileCSV)
	// Cut inside the second sanctionEntity.
	cut := bytes.Index(xmlData, []byte(`wholeName="Ri Wonho"`))
	header, _, _ := strings.Cut(string(csvData), "\r\n")

	tests := []struct {
		name       string
		parse      func([]byte) ([]molehunt.ListEntry, string, error)
		data       string
		wantErr    error
		wantFile   string
		wantRecord string
		wantField  string
	}{
		{
			name: "truncated xml", parse: ParseXML, data: string(xmlData[:cut]),
			wantErr: ErrMalformed, wantFile: FileXML, wantRecord: "sanctionEntity[2] (logicalId 990011)",
		},
		{
			name: "xml ends between entities", parse: ParseXML,
			data:    string(xmlData[:bytes.Index(xmlData, []byte("</sanctionEntity>"))+len("</sanctionEntity>")]),
			wantErr: ErrMalformed, wantFile: FileXML, wantRecord: "after sanctionEntity[1]", wantField: "export",
		},
		{
			name: "xml entity without logicalId", parse: ParseXML,
			data:    `<export><sanctionEntity><nameAlias wholeName="X"/></sanctionEntity></export>`,
			wantErr: ErrMalformed, wantFile: FileXML, wantRecord: "sanctionEntity[1] (logicalId )", wantField: "logicalId",
		},
		{
			name: "xml entity without name", parse: ParseXML,
			data:    `<export><sanctionEntity logicalId="5"><subjectType code="person"/></sanctionEntity></export>`,
			wantErr: ErrMalformed, wantFile: FileXML, wantRecord: "sanctionEntity[1] (logicalId 5)", wantField: "nameAlias",
		},
		{
			name: "xml of another list", parse: ParseXML, data: `<CONSOLIDATED_LIST></CONSOLIDATED_LIST>`,
			wantErr: ErrUnknownFormat, wantFile: FileXML, wantField: "CONSOLIDATED_LIST",
		},
		{
			name: "csv missing name column", parse: ParseCSV,
			data:    strings.Replace(header, "NameAlias_WholeName", "NameAlias_Whole", 1) + "\n1;2\n",
			wantErr: ErrMissingColumn, wantFile: FileCSV, wantRecord: "line 1", wantField: "NameAlias_WholeName",
		},
		{
			name: "csv missing id column", parse: ParseCSV,
			data:    "fileGenerationDate;NameAlias_WholeName\n01/01/2025;Someone\n",
			wantErr: ErrMissingColumn, wantFile: FileCSV, wantRecord: "line 1", wantField: "Entity_LogicalId",
		},
		{
			name: "csv row without id", parse: ParseCSV,
			data:    "fileGenerationDate;Entity_LogicalId;NameAlias_WholeName\n01/01/2025;1;A\n01/01/2025;;B\n",
			wantErr: ErrMalformed, wantFile: FileCSV, wantRecord: "line 3", wantField: "Entity_LogicalId",
		},
		{
			name: "csv entity without name", parse: ParseCSV,
			data:    "fileGenerationDate;Entity_LogicalId;NameAlias_WholeName;Address_City\n01/01/2025;9;;Paris\n",
			wantErr: ErrMalformed, wantFile: FileCSV, wantRecord: "Entity_LogicalId 9", wantField: "NameAlias_WholeName",
		},
		{
			name: "empty input", parse: Parse, data: "",
			wantErr: ErrMalformed, wantFile: FileCSV, wantRecord: "line 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tt.parse([]byte(tt.data))
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v; want a *molehunt.RecordError", err)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v; want it to wrap %v", err, tt.wantErr)
			}
			if re.File != tt.wantFile || re.Record != tt.wantRecord || re.Field != tt.wantField {
				t.Errorf("RecordError{File %q, Record %q, Field %q}; want {%q, %q, %q}",
					re.File, re.Record, re.Field, tt.wantFile, tt.wantRecord, tt.wantField)
			}
		})
	}
}

func TestIsoDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"2003-07-08", "2003-07-08", true},
		{"2024-12-11T21:24:35.826+01:00", "2024-12-11", true},
		{"28/10/2022", "2022-10-28", true},
		{"1960", "1960", true},
		{"1960-04", "1960-04", true},
		{"1960-02-30", "", false},
		{"1960-13-01", "", false},
		{"60-01-01", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := isoDate(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("isoDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readFile(f, FileXML))
	f.Add(readFile(f, FileCSV))
	f.Add([]byte(`<export generationDate="2025-01-01"><sanctionEntity logicalId="1"><nameAlias wholeName="A" strong="false"/><birthdate year="1970" monthOfYear="2" dayOfMonth="30"/></sanctionEntity></export>`))
	f.Add([]byte("Entity_LogicalId;NameAlias_WholeName;BirthDate_YearRangeFrom;BirthDate_YearRangeTo\n1;A;1900;2000\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, err := Parse(data)
		if err != nil {
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T) is not a *molehunt.RecordError", err, err)
			}
			return
		}
		for i := range entries {
			if err := entries[i].Validate(); err != nil {
				t.Fatalf("entry %d invalid: %v", i, err)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{FileXML, FileCSV} {
		data := readFile(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
