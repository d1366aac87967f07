package ofac

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"molehunt"
)

// checkParseResult asserts what every parse must promise: an error is a
// *molehunt.RecordError, and without one every entry is usable.
func checkParseResult(t *testing.T, entries []molehunt.ListEntry, err error) {
	t.Helper()
	if err != nil {
		var re *molehunt.RecordError
		if !errors.As(err, &re) {
			t.Fatalf("error %v (%T) is not a *molehunt.RecordError", err, err)
		}
		return
	}
	for i := range entries {
		if verr := entries[i].Validate(); verr != nil {
			t.Fatalf("entry %d: %v", i, verr)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	for _, n := range SDNFiles {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		// Seed each file as the primary and as a companion of the excerpt.
		f.Add(b, []byte(nil))
	}
	prim, _ := os.ReadFile(filepath.Join("testdata", "sdn.csv"))
	alt, _ := os.ReadFile(filepath.Join("testdata", "alt.csv"))
	f.Add(prim, alt)
	f.Add([]byte("36,\"A\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960 to 1962; a.k.a. 'X'\"\r\n\x1a"), []byte("36,1,\"aka\",\"B\",-0- \r\n"))
	f.Add([]byte("36,\"A"), []byte(""))
	f.Fuzz(func(t *testing.T, primary, second []byte) {
		files := map[string][]byte{"sdn.csv": primary}
		if second != nil {
			files["alt.csv"] = second
			files["add.csv"] = second
			files["sdn_comments.csv"] = second
		}
		entries, _, err := ParseCSV(molehunt.ListOFACSDN, files)
		checkParseResult(t, entries, err)
	})
}

func FuzzParseEnhanced(f *testing.F) {
	x, err := os.ReadFile(filepath.Join("testdata", "CONS_ENHANCED.XML"))
	if err != nil {
		f.Fatal(err)
	}
	// The seeds are one real entity (26182, with a passport), not the whole
	// excerpt: the fuzzer minimises every new input, and minimising 60 KB
	// takes it minutes.
	head, rest, _ := strings.Cut(string(x), "<entities>")
	_, ent, _ := strings.Cut(rest, `<entity id="26182">`)
	ent, _, _ = strings.Cut(ent, "</entity>")
	small := []byte(head + `<entities><entity id="26182">` + ent + "</entity></entities></sanctionsData>")
	f.Add(small)
	f.Add(zipOf(f, "CONS_ENHANCED.XML", small))
	f.Add([]byte(`<sanctionsData><publicationInfo><dataAsOf>2025-01-10</dataAsOf></publicationInfo><entities><entity id="1"><names><name>` +
		`<isPrimary>true</isPrimary><translations><translation><isPrimary>true</isPrimary><formattedFullName>A</formattedFullName>` +
		`</translation></translations></name></names><features><feature><type>Birthdate</type><value>circa 1960</value></feature></features></entity></entities></sanctionsData>`))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, version, err := ParseEnhanced(molehunt.ListOFACCons, data)
		checkParseResult(t, entries, err)
		if err == nil && version != "" && len(version) != 10 {
			t.Fatalf("version %q is not YYYY-MM-DD", version)
		}
	})
}

func FuzzRemarks(f *testing.F) {
	for _, s := range []string{
		"DOB 08 Jun 1973; citizen Korea, North; Passport 472320665 (Korea, North) expires 26 Sep 2017; alt. Passport 563120356 (Korea, North) issued 19 Mar 2018.",
		"Digital Currency Address - XBT 1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE; alt. Digital Currency Address - ETH 0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c",
		"a.k.a. 'BNC'.; f.k.a. 'SAM 5'; n.k.a. ''; a.k.a. '",
		"DOB circa 1979-1982; DOB 01 Jan 1961 to 31 Dec 1962; DOB Mar 1962 to Feb 1963",
		"International Maritime Organization No. (5777731); Registration Number HRA 738077 (Stuttgart) (Germany)",
		"Email Address x@y.com; Website www.x.com; Telephone (98)(21)(66153220); www.a.b; a@b.c (email)",
		"Passport ( ); Passport  issued  expires ; DOB  to ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range []molehunt.EntityType{molehunt.EntityPerson, molehunt.EntityOrganization} {
			e := molehunt.ListEntry{Type: typ}
			parseRemarks(&e, s)
			for _, n := range e.Names {
				if n.Full == "" || n.Quality != molehunt.NameWeak {
					t.Fatalf("bad weak alias %+v", n)
				}
				if !strings.Contains(s, n.Full) {
					t.Fatalf("alias %q is not in the remark", n.Full)
				}
			}
			for _, c := range e.Crypto {
				if c.Currency == "" || c.Address == "" {
					t.Fatalf("empty crypto field %+v", c)
				}
			}
			for _, d := range e.Documents {
				if d.Type == "" || d.Number == "" {
					t.Fatalf("document without type or number %+v", d)
				}
			}
			for _, d := range e.BirthDates {
				if !(len(d) == 4 || len(d) == 7 || len(d) == 10) || !utf8.ValidString(d) {
					t.Fatalf("birth date %q is not an ISO prefix", d)
				}
			}
		}
	})
}
