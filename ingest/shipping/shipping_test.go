package shipping_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/shipping"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func options(t testing.TB) ingest.Options {
	t.Helper()
	key, err := ident.NewKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	d := ident.NewDigester(key)
	return ingest.Options{File: "test.csv", Digest: d, Canon: &ident.Canonicalizer{Digester: d, DefaultRegion: "US"}}
}

type record struct {
	Subject *molehunt.Subject `json:"subject,omitempty"`
	Event   *molehunt.Event   `json:"event,omitempty"`
	Reject  *molehunt.Reject  `json:"reject,omitempty"`
}

func parse(t testing.TB, p *shipping.Parser, data string) []record {
	t.Helper()
	var out []record
	err := p.Parse(context.Background(), strings.NewReader(data), options(t), func(r ingest.Record) error {
		if r.Event != nil {
			if err := r.Event.Validate(); err != nil {
				t.Errorf("emitted event does not validate: %v", err)
			}
		}
		out = append(out, record{r.Subject, r.Event, r.Reject})
		return nil
	})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return out
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.csv")
	if len(files) == 0 {
		t.Fatal("no testdata/*.csv")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := parse(t, shipping.New(shipping.Config{}), string(data))
			for _, r := range got {
				if r.Reject != nil {
					t.Errorf("unexpected reject %+v", *r.Reject)
				}
			}
			b, _ := json.MarshalIndent(got, "", "  ")
			b = append(b, '\n')
			path := strings.TrimSuffix(f, ".csv") + ".golden.json"
			if *update {
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if diff := cmp.Diff(string(want), string(b)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}
}

func TestNormaliseAddress(t *testing.T) {
	tests := []struct {
		name string
		in   molehunt.Address
		want molehunt.Address
	}{
		{"US address with unit, state name and ZIP+4",
			molehunt.Address{Street: "1420 North Maple Avenue Apartment 4B", City: "Springfield", Region: "Illinois", PostalCode: "62704-1234", Country: "United States"},
			molehunt.Address{Street: "1420 N MAPLE AVE APT 4B", City: "SPRINGFIELD", Region: "IL", PostalCode: "62704", Country: "US"}},
		{"no country",
			molehunt.Address{Street: "77 Sunset Blvd.", City: "Los Angeles", Region: "california", PostalCode: "90028"},
			molehunt.Address{Street: "77 SUNSET BLVD", City: "LOS ANGELES", Region: "CA", PostalCode: "90028"}},
		{"foreign address keeps its region",
			molehunt.Address{Street: "77 Rue de la Paix", City: "Paris", Region: "Île-de-France", PostalCode: "75002", Country: "France"},
			molehunt.Address{Street: "77 RUE DE LA PAIX", City: "PARIS", Region: "ILE-DE-FRANCE", PostalCode: "75002", Country: "FR"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := shipping.NormaliseAddress(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			a, _ := ident.Address(tc.in)
			b, _ := ident.Address(got)
			if a != b {
				t.Errorf("ident.Address differs: %+v vs %+v", a, b)
			}
		})
	}
	if _, err := shipping.NormaliseAddress(molehunt.Address{City: "Paris"}); err == nil {
		t.Error("address without a street: want an error")
	}
}

func TestSourceEventIDs(t *testing.T) {
	head := "asset_tag,serial,ship_date,carrier,tracking_number,address,city\n"
	tests := []struct{ name, row, want string }{
		{"carrier and tracking with the asset", "A1,S1,2026-01-02,Fed Ex,7749 1234,1 Main St,X\n", "fedex:77491234/A1"},
		{"carrier and tracking with the serial", ",s 1,2026-01-02,UPS,1z9,1 Main St,X\n", "ups:1Z9/S1"},
		{"asset and date", "A1,S1,2026-01-02,,,1 Main St,X\n", "asset:A1:2026-01-02"},
		{"serial and date", ",S1,2026-01-02,,,1 Main St,X\n", "serial:S1:2026-01-02"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := parse(t, shipping.New(shipping.Config{}), head+tc.row)
			if len(got) != 1 || got[0].Event == nil {
				t.Fatalf("got %+v", got)
			}
			if got[0].Event.SourceEventID != tc.want {
				t.Errorf("id %q; want %q", got[0].Event.SourceEventID, tc.want)
			}
		})
	}
	got := parse(t, shipping.New(shipping.Config{}), head+",,2026-01-02,,,1 Main St,X\n")
	if id := got[0].Event.SourceEventID; !strings.HasPrefix(id, "row:") {
		t.Errorf("id %q; want a row hash", id)
	}
}

func TestRejects(t *testing.T) {
	type rej struct{ Record, Field string }
	head := "Shipment ID,Serial Number,Email,Ship Date,Address Line 1,City,Country\n"
	tests := []struct {
		name    string
		csv     string
		want    []rej
		wantIDs []string
	}{
		{
			name: "bad rows in the middle",
			csv: head +
				"S1,C02X,a@example.com,2026-10-01,1 Main St,Springfield,US\n" +
				"S2,C02Y,a@example.com,2026-10-41,1 Main St,Springfield,US\n" +
				"S3,C02Z,not-an-email,2026-10-01,1 Main St,Springfield,US\n" +
				"S4,0000000,a@example.com,2026-10-01,1 Main St,Springfield,US\n" +
				"S5,C02W,a@example.com,2026-10-01,,Springfield,US\n" +
				"S6,C02V,a@example.com,,1 Main St,Springfield,US\n" +
				"S7,C02U,b@example.com,2026-10-02,2 Main St,Springfield,US\n",
			want:    []rej{{"line 3", "Ship Date"}, {"line 4", "Email"}, {"line 5", "Serial Number"}, {"line 6", "Address Line 1"}, {"line 7", "Ship Date"}},
			wantIDs: []string{"id:S1", "id:S7"},
		},
		{
			name: "no address column",
			csv:  "serial,ship_date\nX,2026-01-01\n",
			want: []rej{{"line 1", ""}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rejects []rej
			var ids []string
			for _, r := range parse(t, shipping.New(shipping.Config{}), tc.csv) {
				if r.Reject != nil {
					rejects = append(rejects, rej{r.Reject.Record, r.Reject.Field})
				}
				if r.Event != nil {
					ids = append(ids, r.Event.SourceEventID)
				}
			}
			if diff := cmp.Diff(tc.want, rejects); diff != "" {
				t.Errorf("rejects (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantIDs, ids); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("address,ship_date\n\"x\n"))
	opts := options(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		err := shipping.New(shipping.Config{}).Parse(context.Background(), bytes.NewReader(data), opts, func(r ingest.Record) error {
			if r.Event != nil {
				if err := r.Event.Validate(); err != nil {
					t.Fatalf("emitted event does not validate: %v", err)
				}
			}
			if r.Reject != nil && (r.Reject.Record == "" || r.Reject.Reason == "") {
				t.Fatalf("reject without record or reason: %+v", *r.Reject)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
	})
}
