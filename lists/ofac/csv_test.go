package ofac

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"molehunt"

	"github.com/google/go-cmp/cmp"
)

// excerpt reads the SDN excerpt in testdata: real rows of the four files,
// with the 0x1A end byte of the originals.
func excerpt(t testing.TB) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	for _, n := range SDNFiles {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	return files
}

func TestParseCSVExcerpt(t *testing.T) {
	entries, version, err := ParseCSV(molehunt.ListOFACSDN, excerpt(t))
	if err != nil {
		t.Fatalf("ParseCSV: %v", err)
	}
	if version != "" {
		t.Errorf("version %q; want empty", version)
	}
	if len(entries) != 7 {
		t.Fatalf("got %d entries; want 7", len(entries))
	}
	for _, e := range entries {
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v", e.ID, err)
		}
	}

	want := molehunt.ListEntry{
		ID: "us_ofac_sdn-18559", SourceID: "18559", List: molehunt.ListOFACSDN, Type: molehunt.EntityPerson,
		Names: []molehunt.Name{
			{Full: "JON, Myong Guk", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "JON", Given: "Myong Guk"},
			{Full: "CHO'N, Myo'ng-kuk", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong, Family: "CHO'N", Given: "Myo'ng-kuk"},
			{Full: "JON, Yong Sang", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong, Family: "JON", Given: "Yong Sang"},
		},
		Programs:   []string{"NPWMD"},
		Title:      "Tanchon Commercial Bank Representative in Syria",
		BirthDates: []string{"1976-10-18", "1976-08-25"},
		Addresses:  []molehunt.Address{{Country: "Syria"}},
		Documents: []molehunt.IdentityDocument{
			{Type: "Passport", Number: "4721202031", Country: "Korea, North", Expires: "2017-02-21"},
			{Type: "Diplomatic Passport", Number: "836110035", Expires: "2020-01-01"},
		},
		Remarks: "DOB 18 Oct 1976; alt. DOB 25 Aug 1976; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; " +
			"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; " +
			"Passport 4721202031 (Korea, North) expires 21 Feb 2017; Diplomatic Passport 836110035 expires 01 Jan 2020; " +
			"Tanchon Commercial Bank Representative in Syria; Linked To: TANCHON COMMERCIAL BANK.",
	}
	if diff := cmp.Diff(want, *byID(entries, "18559")); diff != "" {
		t.Errorf("DPRK individual 18559 (-want +got):\n%s", diff)
	}

	vessel := byID(entries, "4238")
	wantVessel := molehunt.ListEntry{
		ID: "us_ofac_sdn-4238", SourceID: "4238", List: molehunt.ListOFACSDN, Type: molehunt.EntityVessel,
		Names:         []molehunt.Name{{Full: "MAR AZUL", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong}},
		Programs:      []string{"CUBA"},
		Nationalities: []string{"Cuba"},
		Documents:     []molehunt.IdentityDocument{{Type: "Call Sign", Number: "CL2192"}},
		Remarks:       "Vessel Type Tug; Vessel Flag Cuba; Vessel Owner Samir de Navegacion S.A.; GRT 212",
	}
	if diff := cmp.Diff(wantVessel, *vessel); diff != "" {
		t.Errorf("vessel 4238 (-want +got):\n%s", diff)
	}

	// 28264's remark is cut at 1,000 characters mid-word ("P" + "hone
	// Number ..."); sdn_comments.csv holds the rest.
	li := byID(entries, "28264")
	if diff := cmp.Diff([]string{"8613314257947", "8618004121000"}, li.Phones); diff != "" {
		t.Errorf("28264 phones from the comment continuation (-want +got):\n%s", diff)
	}
	if len(li.Crypto) != 12 || li.Crypto[0] != (molehunt.CryptoAddress{Currency: "XBT", Address: "1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE"}) {
		t.Errorf("28264 crypto: got %d addresses, first %+v", len(li.Crypto), li.Crypto)
	}
	if diff := cmp.Diff([]string{"DPRK3", "CYBER2"}, li.Programs); diff != "" {
		t.Errorf("28264 programs (-want +got):\n%s", diff)
	}

	// LAZARUS GROUP: every alias is a weak one in Remarks; the last ones
	// only after joining the continuation ("WHOIS HACKIN" + "G TEAM").
	var weak []string
	for _, n := range byID(entries, "27307").Names {
		if n.Quality == molehunt.NameWeak {
			weak = append(weak, n.Full)
		}
	}
	wantWeak := []string{"HIDDEN COBRA", "OFFICE 91", "GUARDIANS OF PEACE", "THE NEW ROMANTIC CYBER ARMY TEAM", "WHOIS HACKING TEAM",
		"RED DOT", "TEMP.HERMIT", "GROUP 77", "ZINC", "APT-C-26", "APPLEWORM"}
	if diff := cmp.Diff(wantWeak, weak); diff != "" {
		t.Errorf("27307 weak aliases (-want +got):\n%s", diff)
	}

	bank := byID(entries, "306")
	wantNames := []molehunt.Name{
		{Full: "BANCO NACIONAL DE CUBA", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong},
		{Full: "NATIONAL BANK OF CUBA", Kind: molehunt.NameAlias, Quality: molehunt.NameStrong},
		{Full: "BNC", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
	}
	if diff := cmp.Diff(wantNames, bank.Names); diff != "" {
		t.Errorf("306 names (-want +got):\n%s", diff)
	}
	if got := len(bank.Addresses); got != 4 {
		t.Errorf("306: %d addresses; want 4", got)
	}
	if diff := cmp.Diff(molehunt.Address{Street: "Zweierstrasse 35", City: "Zurich CH-8022", Country: "Switzerland"}, bank.Addresses[0]); diff != "" {
		t.Errorf("306 first address (-want +got):\n%s", diff)
	}
	if a := byID(entries, "15431"); a.Type != molehunt.EntityAircraft || len(a.Documents) != 2 {
		t.Errorf("aircraft 15431: type %q, documents %+v", a.Type, a.Documents)
	}
}

func TestParseCSVOrphans(t *testing.T) {
	_, st, err := parseCSV(molehunt.ListOFACSDN, excerpt(t))
	if err != nil {
		t.Fatal(err)
	}
	want := csvStats{Primary: 7, Alt: 4, Addresses: 10, Comments: 3, OrphanAlt: 1, OrphanAddresses: 1, OrphanComments: 1}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

func TestParseCSVFileNames(t *testing.T) {
	// The Sanctions List Service serves upper-case names; the companions
	// are optional.
	files := map[string][]byte{"SDN.CSV": excerpt(t)["sdn.csv"]}
	entries, _, err := ParseCSV(molehunt.ListOFACSDN, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 7 {
		t.Errorf("got %d entries; want 7", len(entries))
	}
	cons := map[string][]byte{"cons_prim.csv": []byte("9639,\"HANIYA, Ismail Abdul Salah\",\"individual\",\"NS-PLC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1962; POB Shati.\"")}
	entries, _, err = ParseCSV(molehunt.ListOFACCons, cons)
	if err != nil {
		t.Fatal(err)
	}
	want := []molehunt.ListEntry{{
		ID: "us_ofac_cons-9639", SourceID: "9639", List: molehunt.ListOFACCons, Type: molehunt.EntityPerson,
		Names:      []molehunt.Name{{Full: "HANIYA, Ismail Abdul Salah", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "HANIYA", Given: "Ismail Abdul Salah"}},
		Programs:   []string{"NS-PLC"},
		BirthDates: []string{"1962"}, BirthPlaces: []string{"Shati"},
		Remarks: "DOB 1962; POB Shati.",
	}}
	if diff := cmp.Diff(want, entries); diff != "" {
		t.Errorf("cons (-want +got):\n%s", diff)
	}
}

func TestParseCSVErrors(t *testing.T) {
	const good = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
	tests := []struct {
		name   string
		files  map[string][]byte
		file   string
		record string
		field  string
	}{
		{"missing primary", map[string][]byte{"alt.csv": nil}, "sdn.csv", "", ""},
		{"truncated quote", map[string][]byte{"sdn.csv": []byte(good + "37,\"BROKEN")}, "sdn.csv", "line 2", ""},
		{"too few columns", map[string][]byte{"sdn.csv": []byte(good + "37,\"X\",-0- \r\n")}, "sdn.csv", "line 2", ""},
		{"too many columns", map[string][]byte{"sdn.csv": []byte("1,a,b,c,d,e,f,g,h,i,j,k,l\r\n")}, "sdn.csv", "line 1", ""},
		{"bad ent_num", map[string][]byte{"sdn.csv": []byte(good + "x37,\"X\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n")}, "sdn.csv", "line 2", "ent_num"},
		{"duplicate ent_num", map[string][]byte{"sdn.csv": []byte(good + good)}, "sdn.csv", "line 2", "ent_num"},
		{"empty name", map[string][]byte{"sdn.csv": []byte("37,-0- ,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n")}, "sdn.csv", "line 1", "SDN_Name"},
		{"bad alt ent_num", map[string][]byte{"sdn.csv": []byte(good), "alt.csv": []byte("36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n-0- ,13,\"aka\",\"X\",-0- \r\n")}, "alt.csv", "line 2", "ent_num"},
		{"short add row", map[string][]byte{"sdn.csv": []byte(good), "add.csv": []byte("36,25,-0- ,\"Havana\"\r\n")}, "add.csv", "line 1", ""},
		{"bad quote in comments", map[string][]byte{"sdn.csv": []byte(good), "sdn_comments.csv": []byte("36,\"a\"b\"\r\n")}, "sdn_comments.csv", "line 1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseCSV(molehunt.ListOFACSDN, tt.files)
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("got %v (%T); want a *molehunt.RecordError", err, err)
			}
			if re.File != tt.file || re.Record != tt.record || re.Field != tt.field {
				t.Errorf("got file %q record %q field %q; want %q %q %q", re.File, re.Record, re.Field, tt.file, tt.record, tt.field)
			}
		})
	}

	_, _, err := ParseCSV(molehunt.ListOFACSDN, map[string][]byte{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing primary: got %v; want it to wrap fs.ErrNotExist", err)
	}
	_, _, err = ParseCSV(molehunt.ListUNSC, map[string][]byte{"sdn.csv": []byte(good)})
	if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("non-OFAC list: got %v; want code %s", err, molehunt.EInvalid)
	}
}

// TestParseCSVEndByte checks that the 0x1A end byte is optional and that a
// set without it parses the same.
func TestParseCSVEndByte(t *testing.T) {
	for _, data := range []string{
		"36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a",
		"36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a\r\n",
		"36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ",
		"\xef\xbb\xbf36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
	} {
		entries, _, err := ParseCSV(molehunt.ListOFACSDN, map[string][]byte{"sdn.csv": []byte(data)})
		if err != nil || len(entries) != 1 || entries[0].SourceID != "36" {
			t.Errorf("%q: got %d entries, err %v; want 1 entry", data, len(entries), err)
		}
	}
}
