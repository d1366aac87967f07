package uk

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

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

const (
	afgRegime = "The Afghanistan (Sanctions) (EU Exit) Regulations 2020"
	dprRegime = "The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019"
)

func strong(full string, kind molehunt.NameKind) molehunt.Name {
	return molehunt.Name{Full: full, Kind: kind, Quality: molehunt.NameStrong}
}

// wantFCDO is what testdata/uk_sanctions.xml says, mapped by hand.
func wantFCDO() []molehunt.ListEntry {
	return []molehunt.ListEntry{
		{
			ID: "uk_sanctions-AFG0006", SourceID: "AFG0006", List: molehunt.ListUKHMT, Type: molehunt.EntityPerson,
			Names: []molehunt.Name{
				{Full: "MOHAMMAD HASSAN AKHUND", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "AKHUND", Given: "MOHAMMAD HASSAN"},
				{Full: "Mohammad Hassan Akhund", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong, Family: "Akhund", Given: "Mohammad Hassan"},
				strong("Haji Mohammad Hassan", molehunt.NameAlias),
				strong("محمد حسن آخوند", molehunt.NameOriginalScript),
			},
			Programs:      []string{afgRegime},
			Title:         "Mullah; Haji",
			BirthDates:    []string{"1945", "1946", "1958-03-01"},
			BirthPlaces:   []string{"Lakhi village, Afghanistan", "Darvishan, Afghanistan"},
			Nationalities: []string{"Afghanistan"},
			Addresses: []molehunt.Address{
				{City: "Kabul", Country: "Afghanistan"},
				{Street: "Lakhi village", Region: "Hazarjuft area, Garmser District", City: "Helmand Province", Country: "Afghanistan"},
			},
			Documents: []molehunt.IdentityDocument{
				{Type: "passport", Number: "P04581926", Note: "Afghanistan passport"},
				{Type: "national_id", Number: "12345"},
			},
			Remarks:  "UN reference number: TAi.002\nA close associate of Mullah Mohammed Omar.\nPosition: Deputy Minister of Civil Aviation under the Taliban",
			ListedOn: "2001-01-25",
		},
		{
			ID: "uk_sanctions-DPR0123", SourceID: "DPR0123", List: molehunt.ListUKHMT, Type: molehunt.EntityPerson,
			Names: []molehunt.Name{
				{Full: "WON HO RI", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "RI", Given: "WON HO"},
				strong("RI Won-ho", molehunt.NameAlias),
				{Full: "RI", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
				strong("리원호", molehunt.NameOriginalScript),
			},
			Programs:      []string{dprRegime},
			BirthDates:    []string{"1964-07-17"},
			Nationalities: []string{"North Korea"},
			Documents:     []molehunt.IdentityDocument{{Type: "passport", Number: "654310175", Note: "DPRK passport"}},
			Remarks:       "UN reference number: KPi.901\nStatement of reasons: Official of the Ministry of State Security.",
			ListedOn:      "2016-06-02",
		},
		{
			ID: "uk_sanctions-AFG0001", SourceID: "AFG0001", List: molehunt.ListUKHMT, Type: molehunt.EntityOrganization,
			Names: []molehunt.Name{
				strong("HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE", molehunt.NamePrimary),
				strong("Haji Alim Hawala", molehunt.NameAlias),
				{Full: "Haji Hakim Hawala", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
				strong("حاجی خيرالله و حاجی ستار صرافی", molehunt.NameOriginalScript),
			},
			Programs: []string{afgRegime},
			Addresses: []molehunt.Address{
				{Street: "Branch Office 1, Chaman Central Bazaar", City: "Chaman", PostalCode: "86000", Country: "Pakistan"},
				{Street: "Shah Zada Market", City: "Kabul", Country: "Afghanistan"},
			},
			Documents: []molehunt.IdentityDocument{{Type: "registration_number", Number: "BR-99-XY"}},
			Emails:    []string{"helmand_exchange_msp@yahoo.com"},
			Phones:    []string{"+93-202-104748"},
			Remarks:   "UN reference number: TAe.010\nStatement of reasons: Involved in the financing of the Taliban.",
			ListedOn:  "2012-06-29",
		},
		{
			ID: "uk_sanctions-DPR0075", SourceID: "DPR0075", List: molehunt.ListUKHMT, Type: molehunt.EntityVessel,
			Names: []molehunt.Name{
				strong("Petrel 8", molehunt.NamePrimary),
				strong("Jal Vahini", molehunt.NameAlias),
			},
			Programs:  []string{dprRegime},
			Documents: []molehunt.IdentityDocument{{Type: "imo", Number: "9562233"}},
			ListedOn:  "2017-10-03",
		},
	}
}

// wantConList is what testdata/ConList.csv says, mapped by hand.
func wantConList() []molehunt.ListEntry {
	return []molehunt.ListEntry{
		{
			ID: "uk_sanctions-6897", SourceID: "6897", List: molehunt.ListUKHMT, Type: molehunt.EntityPerson,
			Names: []molehunt.Name{
				{Full: "Aiman Muhammed Rabi AL-ZAWAHIRI", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "AL-ZAWAHIRI", Given: "Aiman Muhammed Rabi"},
				{Full: "Aiman ABDEL RAHMAN", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong, Family: "ABDEL RAHMAN", Given: "Aiman"},
				{Full: "Abu Mohammed", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
			},
			Programs:      []string{"ISIL (Da'esh) and Al-Qaida"},
			BirthDates:    []string{"1951-06-19"},
			BirthPlaces:   []string{"Giza, Egypt"},
			Nationalities: []string{"Egypt"},
			Remarks:       "(UK Sanctions List Ref):AQD0104 (UN Ref):QDi.006 Operational and military leader of Egyptian Islamic Jihad group. (Gender):Male",
			ListedOn:      "2001-10-02",
		},
		{
			ID: "uk_sanctions-13388", SourceID: "13388", List: molehunt.ListUKHMT, Type: molehunt.EntityPerson,
			Names: []molehunt.Name{
				{Full: "Won Ho RI", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "RI", Given: "Won Ho"},
				strong("리원호", molehunt.NameOriginalScript),
				{Full: "Won-ho RI", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong, Family: "RI", Given: "Won-ho"},
			},
			Programs:      []string{"Democratic People's Republic of Korea"},
			BirthDates:    []string{"1964-07-17"},
			Nationalities: []string{"North Korea"},
			Documents:     []molehunt.IdentityDocument{{Type: "passport", Number: "654310175", Note: "DPRK passport"}},
			Remarks:       "(UK Sanctions List Ref):DPR0123 (UN Ref):KPi.901 Official of the Ministry of State Security. (Gender):Male",
			ListedOn:      "2016-06-02",
		},
		{
			ID: "uk_sanctions-12431", SourceID: "12431", List: molehunt.ListUKHMT, Type: molehunt.EntityOrganization,
			Names: []molehunt.Name{
				strong("(GENERAL) ORGANIZATION FOR ENGINEERING INDUSTRIES", molehunt.NamePrimary),
				strong("GENERAL ORGANISATION FOR ENGINEERING INDUSTRIES", molehunt.NameAlias),
			},
			Programs:  []string{"Syria"},
			Addresses: []molehunt.Address{{Street: "PO Box 21120", Region: "Baramkeh", City: "Damascus", Country: "Syria"}},
			Remarks:   "(UK Sanctions List Ref):SYR0306 (UK Statement of Reasons):Front company for the acquisition of sensitive equipment related to the production of chemical weapons by the Syrian Scientific Studies and Research Center (SSRC). (Phone number):(1) +963112121816 (2) +963112121834",
			ListedOn:  "2011-12-02",
		},
		{
			ID: "uk_sanctions-14732", SourceID: "14732", List: molehunt.ListUKHMT, Type: molehunt.EntityPerson,
			Names: []molehunt.Name{
				{Full: "Khizri Magomedovich ABAKAROV", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "ABAKAROV", Given: "Khizri Magomedovich"},
			},
			Programs:      []string{"Russia"},
			BirthDates:    []string{"1960-06-28", "1961-06"},
			BirthPlaces:   []string{"Yuzhno Sakhalinsk, Russia", "Makhachkala, Russia"},
			Nationalities: []string{"Russia"},
			Addresses: []molehunt.Address{
				{Street: "1 Okhotny Ryad str", City: "Moscow", PostalCode: "103265", Country: "Russia"},
				{Street: "Ulitsa Lenina 2", Region: "Republic of Dagestan", City: "Makhachkala", Country: "Russia"},
			},
			Remarks:  "(UK Sanctions List Ref):RUS0296. (UK Statement of Reasons):Member of the State Duma of Russia who voted in favour of Federal Law No. 75577-8. In so doing, the member endorsed President Putin's decision to recognise the Donetsk People's Republic. (Gender):Male\nPosition: Member of the State Duma of the Russian Federation",
			ListedOn: "2022-03-11",
		},
	}
}

func TestParseExcerpts(t *testing.T) {
	// The FCDO CSV carries the same designations as the XML, one row per
	// name or address, so names and documents arrive in another order.
	anyOrder := cmp.Options{
		cmpopts.SortSlices(func(a, b molehunt.Name) bool { return a.Full < b.Full }),
		cmpopts.SortSlices(func(a, b molehunt.IdentityDocument) bool { return a.Number < b.Number }),
	}
	tests := []struct {
		name        string
		file        string
		want        []molehunt.ListEntry
		wantVersion string
		opts        cmp.Options
	}{
		{"fcdo xml", File, wantFCDO(), "2026-08-20", nil},
		{"fcdo csv", FileCSV, wantFCDO(), "2026-08-20", anyOrder},
		{"ofsi conlist", FileConList, wantConList(), "2022-05-13", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, version, err := Parse(readFile(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if version != tt.wantVersion {
				t.Errorf("version = %q; want %q", version, tt.wantVersion)
			}
			if diff := cmp.Diff(tt.want, got, tt.opts); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			for i := range got {
				if err := got[i].Validate(); err != nil {
					t.Errorf("entry %s: %v", got[i].ID, err)
				}
				if got[i].Names[0].Kind != molehunt.NamePrimary {
					t.Errorf("entry %s: first name %+v is not primary", got[i].ID, got[i].Names[0])
				}
			}
		})
	}
}

func TestBadOptionalValuesAreKept(t *testing.T) {
	xml := `<Designations><Designation><UniqueID>X1</UniqueID>
<Names><Name><Name6>TEST</Name6><NameType>Primary Name</NameType></Name></Names>
<IndividualEntityShip>Individual</IndividualEntityShip><DateDesignated>31/02/2020</DateDesignated>
<IndividualDetails><Individual><DOBs><DOB>about 1960</DOB><DOB>dd/mm/1961</DOB></DOBs></Individual></IndividualDetails>
</Designation></Designations>`
	got, version, err := Parse([]byte(xml))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if version != "" {
		t.Errorf("version = %q; want none", version)
	}
	e := got[0]
	if diff := cmp.Diff([]string{"1961"}, e.BirthDates); diff != "" {
		t.Errorf("BirthDates (-want +got):\n%s", diff)
	}
	for _, raw := range []string{"about 1960", "31/02/2020"} {
		if !strings.Contains(e.Remarks, raw) {
			t.Errorf("Remarks %q lack the raw value %q", e.Remarks, raw)
		}
	}
}

func TestErrors(t *testing.T) {
	xmlData := readFile(t, File)
	cut := bytes.Index(xmlData, []byte("<Name6>RI Won-ho</Name6>"))
	fcdoCSV := string(readFile(t, FileCSV))
	conList := string(readFile(t, FileConList))

	tests := []struct {
		name       string
		data       string
		wantErr    error
		wantFile   string
		wantRecord string
		wantField  string
	}{
		{
			name: "truncated xml", data: string(xmlData[:cut]),
			wantErr: ErrMalformed, wantFile: File, wantRecord: "Designation[2]",
		},
		{
			name:    "xml ends between designations",
			data:    string(xmlData[:bytes.Index(xmlData, []byte("</Designation>"))+len("</Designation>")]),
			wantErr: ErrMalformed, wantFile: File, wantRecord: "after Designation[1]", wantField: "Designations",
		},
		{
			name:    "xml designation without UniqueID",
			data:    `<Designations><Designation><Names><Name><Name6>A</Name6></Name></Names></Designation></Designations>`,
			wantErr: ErrMalformed, wantFile: File, wantRecord: "Designation[1] (UniqueID )", wantField: "UniqueID",
		},
		{
			name:    "xml designation without name",
			data:    `<Designations><Designation><UniqueID>Z9</UniqueID></Designation></Designations>`,
			wantErr: ErrMalformed, wantFile: File, wantRecord: "Designation[1] (UniqueID Z9)", wantField: "Names",
		},
		{
			name: "xml of another list", data: `<export><sanctionEntity/></export>`,
			wantErr: ErrUnknownFormat, wantFile: File, wantField: "export",
		},
		{
			name:    "fcdo csv missing column",
			data:    strings.Replace(fcdoCSV, ",Name type,", ",Name kind,", 1),
			wantErr: ErrMissingColumn, wantFile: FileCSV, wantRecord: "line 2", wantField: "Name type",
		},
		{
			name:    "conlist missing column",
			data:    strings.Replace(conList, ",Alias Type,", ",Alias,", 1),
			wantErr: ErrMissingColumn, wantFile: FileConList, wantRecord: "line 2", wantField: "Alias Type",
		},
		{
			name:    "conlist without banner line, row without group id",
			data:    "Name 6,Group Type,Alias Type,Group ID\nSMITH,Individual,Primary name,1\nJONES,Individual,Primary name,\n",
			wantErr: ErrMalformed, wantFile: FileConList, wantRecord: "line 3", wantField: "Group ID",
		},
		{
			name:    "fcdo csv designation without name",
			data:    "Report Date: 01-Jan-2026\nUnique ID,Name 6,Name type\nAB1,,Primary Name\n",
			wantErr: ErrMalformed, wantFile: FileCSV, wantRecord: "Unique ID AB1", wantField: "Name 6",
		},
		{
			name: "unknown csv", data: "a,b,c\n1,2,3\n",
			wantErr: ErrUnknownFormat, wantFile: FileCSV, wantRecord: "line 1",
		},
		{
			name: "empty", data: "",
			wantErr: ErrUnknownFormat, wantFile: FileCSV, wantRecord: "line 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tt.data))
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

func TestUKDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"25/01/2001", "2001-01-25", true},
		{"dd/mm/1945", "1945", true},
		{"00/00/1975", "1975", true},
		{"dd/06/1970", "1970-06", true},
		{"1958", "1958", true},
		{"1958-03-01", "1958-03-01", true},
		{"31/02/2020", "", false},
		{"01/13/2020", "", false},
		{"about 1960", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ukDate(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ukDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readFile(f, File))
	f.Add(readFile(f, FileCSV))
	f.Add(readFile(f, FileConList))
	f.Add([]byte("Last Updated,01/01/2026\nName 6,Group Type,Alias Type,Alias Quality,Group ID,DOB,Nationality\nX,Ship,AKA,Low,7,dd/13/1990,(1) A (2) B\n"))
	f.Add([]byte("<Designations><Designation><UniqueID>1</UniqueID><Names><Name><Name1>\u0416</Name1></Name></Names></Designation></Designations>"))
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
	for _, name := range []string{File, FileCSV, FileConList} {
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
