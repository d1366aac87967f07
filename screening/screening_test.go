package screening_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"molehunt"
	"molehunt/screening"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AL-KHUDAYR, Muhammad 'Arif al-Hasan", "al khudayr muhammad arif al hasan"},
		{"  Dr.  José   NÚÑEZ ", "jose nunez"},
		{"Sheikh Haji Baz MOHAMMAD", "baz mohammad"},
		{"Ｋｉｍ　Ｊｏｎｇ　Ｕｎ", "kim jong un"}, // NFKC folds full-width forms
		{"김정은", "kim jong un"},
		{"이승일", "ri sung il"}, // Northern surname spelling
		{"Владимир Путин", "vladimir putin"},
		{"Kyo'Ng-Il Kim", "kyong il kim"},
		{"Đorđe Straße", "dorde strasse"},
		{"Mr", "mr"}, // an honorific alone is kept
		{"", ""},
	}
	for _, tc := range tests {
		if got := screening.NormalizeName(tc.in); got != tc.want {
			t.Errorf("NormalizeName(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestRomanizeHangul(t *testing.T) {
	tests := []struct {
		in   string
		sys  screening.Romanization
		want string
	}{
		{"김정은", screening.MR, "kim jong un"},
		{"김정은", screening.RR, "gim jeong eun"},
		{"최철", screening.MR, "choe chol"},
		{"박평국", screening.MR, "pak phyong kuk"},
		{"리룡", screening.RR, "ri ryong"},
	}
	for _, tc := range tests {
		if got := screening.RomanizeHangul(tc.in, tc.sys); got != tc.want {
			t.Errorf("RomanizeHangul(%q, %v) = %q; want %q", tc.in, tc.sys, got, tc.want)
		}
	}
}

// handSet is a small list with the shapes screening must handle: a Korean
// person, a company with a legal form, a weak alias, a vessel, identifiers.
func handSet() molehunt.ListSet {
	return molehunt.ListSet{
		Lists: []molehunt.ListInfo{{Name: molehunt.ListOFACSDN, Version: "test", Entries: 5}},
		Entries: []molehunt.ListEntry{
			{ID: "us_ofac_sdn-1", SourceID: "1", List: molehunt.ListOFACSDN, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{
					{Full: "KIM, Jong Un", Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong, Family: "KIM", Given: "Jong Un"},
					{Full: "Little Kim", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
				},
				BirthDates: []string{"1984-01-08"},
				Documents:  []molehunt.IdentityDocument{{Type: "Passport", Number: "PS 123-456-789"}},
			},
			{ID: "us_ofac_sdn-2", SourceID: "2", List: molehunt.ListOFACSDN, Type: molehunt.EntityOrganization,
				Names:  []molehunt.Name{{Full: "VELMUR MANAGEMENT PTE LTD", Kind: molehunt.NamePrimary}},
				Crypto: []molehunt.CryptoAddress{{Currency: "XBT", Address: "1AbCdEfGhIjKlMnOpQrStUvWxYz"}},
				Emails: []string{"Info@Velmur.example"},
			},
			{ID: "us_ofac_sdn-3", SourceID: "3", List: molehunt.ListOFACSDN, Type: molehunt.EntityVessel,
				Names: []molehunt.Name{{Full: "CHONG GEN", Kind: molehunt.NamePrimary}},
			},
			{ID: "us_ofac_sdn-4", SourceID: "4", List: molehunt.ListOFACSDN, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{{Full: "AL-RASHID, Abdul Rahman", Kind: molehunt.NamePrimary}},
			},
			{ID: "us_ofac_sdn-5", SourceID: "5", List: molehunt.ListOFACSDN, Type: molehunt.EntityPerson,
				Names: []molehunt.Name{{Full: "CHONG, Gen Il", Kind: molehunt.NamePrimary}},
			},
		},
	}
}

func newHand(t *testing.T) *screening.Index {
	t.Helper()
	ix, err := screening.New(handSet(), screening.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func best(t *testing.T, ix *screening.Index, q molehunt.ScreenQuery) (molehunt.Match, bool) {
	t.Helper()
	res, err := ix.Screen(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) == 0 {
		return molehunt.Match{}, false
	}
	return res.Matches[0], true
}

func TestScreenNames(t *testing.T) {
	ix := newHand(t)
	tests := []struct {
		name, query string
		typ         molehunt.EntityType
		want        string // entry id expected first and matching; "" for no match
		rule        string // a rule that must appear in the explanations
	}{
		{"exact", "Kim Jong Un", molehunt.EntityPerson, "us_ofac_sdn-1", "exact"},
		{"hangul", "김정은", "", "us_ofac_sdn-1", "exact"},
		{"revised romanization", "Gim Jeong Eun", molehunt.EntityPerson, "us_ofac_sdn-1", "romanisation"},
		{"surname class", "Gim Jong Un", molehunt.EntityPerson, "us_ofac_sdn-1", "korean_surname"},
		{"joined given names", "Jongun Kim", molehunt.EntityPerson, "us_ofac_sdn-1", "joined_split"},
		{"legal form swapped", "Velmur Management LLC", molehunt.EntityOrganization, "us_ofac_sdn-2", "legal_form"},
		{"joined article", "Abdulrahman Alrashid", molehunt.EntityPerson, "us_ofac_sdn-4", "joined_split"},
		{"typo", "Abdul Rahman Al-Rashdi", molehunt.EntityPerson, "us_ofac_sdn-4", "typo"},
		{"surname alone", "Kim", molehunt.EntityPerson, "", ""},
		{"vessel is not a person", "Chong Gen", molehunt.EntityPerson, "us_ofac_sdn-5", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := best(t, ix, molehunt.ScreenQuery{Names: []string{tc.query}, Type: tc.typ})
			if tc.want == "" {
				if ok && m.IsMatch {
					t.Fatalf("Screen(%q) matched %s (%.3f); want no match", tc.query, m.EntryID, m.Score)
				}
				return
			}
			if !ok || m.EntryID != tc.want {
				t.Fatalf("Screen(%q) best = %+v; want %s", tc.query, m, tc.want)
			}
			if m.EntryID == "us_ofac_sdn-3" {
				t.Fatalf("person query returned a vessel")
			}
			if tc.rule == "" {
				return
			}
			if !m.IsMatch {
				t.Errorf("Screen(%q) score %.3f below threshold", tc.query, m.Score)
			}
			found := false
			for _, x := range m.Explanations {
				if x.Rule == tc.rule {
					found = true
				}
			}
			if !found {
				t.Errorf("Screen(%q) explanations %+v lack rule %q", tc.query, m.Explanations, tc.rule)
			}
		})
	}
}

func TestScreenScores(t *testing.T) {
	ix := newHand(t)
	m, _ := best(t, ix, molehunt.ScreenQuery{Names: []string{"KIM, Jong Un"}})
	if m.NameScore != 1 || m.Score != 1 {
		t.Errorf("exact primary: name %.3f score %.3f; want 1, 1", m.NameScore, m.Score)
	}
	m, _ = best(t, ix, molehunt.ScreenQuery{Names: []string{"Little Kim"}})
	if m.NameScore >= 1 || m.NameScore < 0.8 {
		t.Errorf("exact weak alias: name score %.3f; want in [0.8, 1)", m.NameScore)
	}
	m, _ = best(t, ix, molehunt.ScreenQuery{Names: []string{"Kim Jong Un"}, BirthDates: []string{"1970-05-05"}})
	if m.Score >= m.NameScore {
		t.Errorf("contradicting DOB: score %.3f not below name score %.3f", m.Score, m.NameScore)
	}
	m, _ = best(t, ix, molehunt.ScreenQuery{Names: []string{"Kim Jong-Un"}, BirthDates: []string{"1984"}})
	if m.Score < m.NameScore {
		t.Errorf("matching DOB: score %.3f below name score %.3f", m.Score, m.NameScore)
	}
}

func TestScreenIdentifiers(t *testing.T) {
	ix := newHand(t)
	for _, id := range []string{"ps123456789", "1AbCdEfGhIjKlMnOpQrStUvWxYz", "info@velmur.example"} {
		m, ok := best(t, ix, molehunt.ScreenQuery{Names: []string{"Somebody Else"}, Identifiers: []string{id}})
		if !ok || m.Score != 1 || !m.IsMatch {
			t.Errorf("identifier %q: best %+v; want score 1", id, m)
			continue
		}
		if x := m.Explanations[len(m.Explanations)-1]; x.Rule != "identifier" {
			t.Errorf("identifier %q: last explanation %+v", id, x)
		}
	}
	// Wallets are exact: another case is another address.
	if m, ok := best(t, ix, molehunt.ScreenQuery{Identifiers: []string{"1abcdefghijklmnopqrstuvwxyz"}}); ok && m.Score == 1 {
		t.Errorf("wallet matched case-insensitively: %+v", m)
	}
}

func TestScreenErrors(t *testing.T) {
	ix := newHand(t)
	for _, q := range []molehunt.ScreenQuery{{}, {Names: []string{"  "}}, {Names: []string{"Kim"}, Threshold: 2}} {
		_, err := ix.Screen(context.Background(), q)
		if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
			t.Errorf("Screen(%+v) error %v; want code invalid", q, err)
		}
	}
	if _, err := screening.New(molehunt.ListSet{Entries: []molehunt.ListEntry{{SourceID: "1"}}}, screening.Options{}); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("New with invalid entry: %v; want code invalid", err)
	}
	if e, ok := ix.Entry("us_ofac_sdn-2"); !ok || e.SourceID != "2" {
		t.Errorf("Entry: %v %v", e, ok)
	}
	if ix.DefaultThreshold() != screening.DefaultThreshold || len(ix.Lists()) != 1 {
		t.Errorf("DefaultThreshold/Lists wrong")
	}
}

// TestScreenConcurrent runs queries from many goroutines; with -race it
// checks that the index is read-only after New.
func TestScreenConcurrent(t *testing.T) {
	ix := newHand(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				m, ok := best(t, ix, molehunt.ScreenQuery{Names: []string{"Kim Jong Un", "김정은"}})
				if !ok || m.EntryID != "us_ofac_sdn-1" {
					t.Errorf("concurrent screen: %+v", m)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestEvaluate(t *testing.T) {
	ix := newHand(t)
	data := `{"query":"Kim Jong Un","expected_uid":"1","variant":"as_listed","type":"person"}
{"query":"Gim Jeong-eun","expected_uid":"1","variant":"transliteration","type":"person"}
{"query":"Velmur Management","expected_uid":"2","variant":"legal_form","type":"business"}
{"query":"Maria Schmidt","expected_uid":null,"variant":"negative_x","type":"person","origin":"x"}

{"query":"Kim Jong Un","expected_uid":null,"variant":"negative_y","type":"person","origin":"y"}
`
	qs, err := screening.ReadLabelled(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := screening.Evaluate(context.Background(), ix, qs, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Positives != 3 || rep.Found != 3 || rep.Negatives != 2 || rep.FalseHits != 1 || len(rep.FalseHitList) != 1 {
		t.Errorf("report = %+v", rep)
	}
	if len(rep.ByOrigin) != 2 || rep.ByOrigin[1].Key != "y" || rep.ByOrigin[1].Rate != 1 {
		t.Errorf("by origin = %+v", rep.ByOrigin)
	}
}

func TestReadLabelledErrors(t *testing.T) {
	for _, in := range []string{"{\"query\":\"a\"}\n{bad", `{"query":""}`, `{"query":1}`} {
		_, err := screening.ReadLabelled(strings.NewReader(in))
		var re *molehunt.RecordError
		if !errors.As(err, &re) {
			t.Errorf("ReadLabelled(%q) error %v; want *RecordError", in, err)
		}
	}
}

func FuzzReadLabelled(f *testing.F) {
	f.Add(`{"query":"Kim Jong Un","expected_uid":"1","variant":"as_listed","type":"person"}`)
	f.Add(`{"query":"x","expected_uid":null}` + "\n\n{")
	f.Fuzz(func(t *testing.T, s string) {
		_, err := screening.ReadLabelled(strings.NewReader(s))
		var re *molehunt.RecordError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("error %v is not a *RecordError", err)
		}
	})
}

func FuzzScreen(f *testing.F) {
	ix, err := screening.New(handSet(), screening.Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"Kim Jong Un", "김정은", "s.a. de c.v.", "'-'", "ŉ\u0301ǅ", strings.Repeat("a ", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		res, err := ix.Screen(context.Background(), molehunt.ScreenQuery{Names: []string{s}})
		if err != nil && molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
			t.Fatalf("Screen(%q): %v", s, err)
		}
		for _, m := range res.Matches {
			if m.Score < 0 || m.Score > 1 || m.NameScore < 0 || m.NameScore > 1 {
				t.Fatalf("Screen(%q): score out of range %+v", s, m)
			}
		}
	})
}
