package ats_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/ats"
	"molehunt/internal/golden"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func options(t testing.TB, file string) ingest.Options {
	key, err := ident.NewKey([]byte("molehunt ats test key 32 bytes!"))
	if err != nil {
		t.Fatal(err)
	}
	d := ident.NewDigester(key)
	return ingest.Options{
		File:          file,
		Canon:         &ident.Canonicalizer{Digester: d},
		Digest:        d,
		DefaultRegion: "US",
		Now:           func() time.Time { return now },
	}
}

func parse(t testing.TB, src molehunt.Source, file string, in []byte) []ingest.Record {
	t.Helper()
	var out []ingest.Record
	err := ats.New(src).Parse(context.Background(), bytes.NewReader(in), options(t, file), func(r ingest.Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkValid(t, out)
	return out
}

func checkValid(t testing.TB, recs []ingest.Record) {
	t.Helper()
	for i, r := range recs {
		switch {
		case r.Subject != nil && r.Event == nil && r.Reject == nil:
			if err := r.Subject.Validate(); err != nil {
				t.Errorf("record %d: %v", i, err)
			}
		case r.Event != nil && r.Subject == nil && r.Reject == nil:
			if err := r.Event.Validate(); err != nil {
				t.Errorf("record %d: %v", i, err)
			}
		case r.Reject != nil && r.Subject == nil && r.Event == nil:
		default:
			t.Fatalf("record %d: want exactly one of subject, event, reject", i)
		}
	}
}

func checkGolden(t *testing.T, name string, recs []ingest.Record) {
	t.Helper()
	golden.JSON(t, filepath.Join("testdata", name+".golden.json"), recs)
}

func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		file string
		src  molehunt.Source
	}{
		{"greenhouse-candidates.json", molehunt.SourceGreenhouse},
		{"greenhouse-webhook-hired.json", molehunt.SourceGreenhouse},
		{"lever-opportunities.json", molehunt.SourceLever},
	} {
		t.Run(tt.file, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, strings.TrimSuffix(tt.file, ".json"), parse(t, tt.src, tt.file, in))
		})
	}
}

// summary is what a record says in one line, for table tests.
func summary(r ingest.Record) string {
	switch {
	case r.Subject != nil:
		s := r.Subject
		return "subject " + s.ID + " " + string(s.Role) + "/" + string(s.Status) + " hire=" + s.HireDate
	case r.Event != nil:
		return "event " + r.Event.SourceEventID + " " + r.Event.HRChange.Field + "=" + r.Event.HRChange.New +
			" at " + r.Event.Time.Format(time.RFC3339)
	default:
		return "reject " + r.Reject.Record + " field " + r.Reject.Field
	}
}

func summaries(recs []ingest.Record) []string {
	var s []string
	for _, r := range recs {
		s = append(s, summary(r))
	}
	return s
}

func TestGreenhouseFlow(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "greenhouse-candidates.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"subject greenhouse:candidate:71002345 employee/active hire=",
		"event application:88001001:applied status=applied at 2026-01-12T15:02:11Z",
		"event application:88001001:referred_by referred_by=greenhouse user 566819 Kevin Lim (employee E10442) at 2026-01-12T15:02:11Z",
		"event application:88001001:hired status=hired at 2026-02-20T09:41:00Z",
		// The bad record in the middle is rejected; its neighbours are not.
		"reject record 2 (candidate not-a-candidate) field ",
		"subject greenhouse:candidate:71002399 candidate/applicant hire=",
		"event application:88002002:applied status=applied at 2026-02-01T08:00:00Z",
		"event application:88002002:rejected:2026-02-03T10:00:00Z status=rejected at 2026-02-03T10:00:00Z",
		"reject record 3 (candidate 71002399) field email_addresses[1]",
		"reject record 3 (candidate 71002399) field phone_numbers[0]",
	}
	got := summaries(parse(t, molehunt.SourceGreenhouse, "c.json", in))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestGreenhouseIdentifiers(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "greenhouse-candidates.json"))
	if err != nil {
		t.Fatal(err)
	}
	recs := parse(t, molehunt.SourceGreenhouse, "c.json", in)
	want := []molehunt.Identifier{
		{Kind: molehunt.IDEmail, Value: "danielparkdev@gmail.com"},
		{Kind: molehunt.IDPhone, Value: "+14155550132"},
		{Kind: molehunt.IDPostalAddress, Value: "1200 HARBOR BLVD APT 4B, OXNARD, CA, 93035"},
		{Kind: molehunt.IDProfileURL, Value: "https://danpark.dev"},
		{Kind: molehunt.IDProfileURL, Value: "https://linkedin.com/in/daniel-park-42"},
		{Kind: molehunt.IDProfileURL, Value: "https://github.com/dpark-dev"},
	}
	if diff := cmp.Diff(want, recs[0].Subject.Identifiers); diff != "" {
		t.Errorf("identifiers (-want +got):\n%s", diff)
	}
}

func TestGreenhouseWebhooks(t *testing.T) {
	hook := func(action, app string) string {
		return `{"action":"` + action + `","payload":{"application":` + app + `}}`
	}
	cand := `"candidate":{"id":5,"first_name":"A","last_name":"B","email_addresses":[{"value":"a@b.example"}]}`
	tests := []struct {
		name, in string
		want     []string
	}{
		{
			name: "hire with future start is offered",
			in:   hook("hire_candidate", `{"id":9,`+cand+`,"offer":{"resolved_at":"2026-02-12T16:30:00Z","starts_at":"2026-04-01"}}`),
			want: []string{
				"subject greenhouse:candidate:5 employee/offered hire=2026-04-01",
				"event application:9:hired status=hired at 2026-02-12T16:30:00Z",
			},
		},
		{
			name: "reject_candidate",
			in:   hook("reject_candidate", `{"id":9,"rejected_at":"2026-02-13T00:00:00Z",`+cand+`}`),
			want: []string{
				"subject greenhouse:candidate:5 candidate/rejected hire=",
				"event application:9:rejected:2026-02-13T00:00:00Z status=rejected at 2026-02-13T00:00:00Z",
			},
		},
		{
			name: "application_updated still active",
			in:   hook("application_updated", `{"id":9,"status":"active","applied_at":"2026-02-01T00:00:00Z",`+cand+`}`),
			want: []string{
				"subject greenhouse:candidate:5 candidate/applicant hire=",
				"event application:9:applied status=applied at 2026-02-01T00:00:00Z",
			},
		},
		{name: "ping", in: `{"action":"ping","payload":{"web_hook_id":1}}`},
		{
			name: "no candidate",
			in:   `{"action":"offer_deleted","payload":{"offer":{"id":1}}}`,
			want: []string{"reject record 1 field payload"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summaries(parse(t, molehunt.SourceGreenhouse, "hook.json", []byte(tt.in)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHireKeyAgrees checks that a hire seen by web hook and again in an
// export has one idempotency key, so the store absorbs the second.
func TestHireKeyAgrees(t *testing.T) {
	hook := `{"action":"hire_candidate","payload":{"application":{"id":9,"candidate":{"id":5,"first_name":"A"},"offer":{"resolved_at":"2026-02-12T16:30:00Z"}}}}`
	export := `[{"id":5,"first_name":"A","applications":[{"id":9,"status":"hired","last_activity_at":"2026-02-20T00:00:00Z"}]}]`
	a := parse(t, molehunt.SourceGreenhouse, "h", []byte(hook))
	b := parse(t, molehunt.SourceGreenhouse, "e", []byte(export))
	if a[1].Event.SourceEventID != b[1].Event.SourceEventID {
		t.Errorf("keys differ: %q, %q", a[1].Event.SourceEventID, b[1].Event.SourceEventID)
	}
}

func TestLeverFlow(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "lever-opportunities.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"subject lever:contact:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a candidate/applicant hire=",
		"event opportunity:4b1c7d2e-8a90-4f3b-9c21-6e5d4a3b2c10:applied status=applied at 2026-01-01T00:00:00Z",
		"event opportunity:4b1c7d2e-8a90-4f3b-9c21-6e5d4a3b2c10:referred_by referred_by=lever user ecdb6670-d9f3-4b87-8267-1cde26d1bc42 at 2026-01-01T00:00:00Z",
		"reject record 2 (opportunity 5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f) field names",
		"subject lever:contact:22222222-3333-4444-8555-666666666666 employee/active hire=",
		"event opportunity:6e7f8091-2b3c-4d5e-9f0a-1b2c3d4e5f60:applied status=applied at 2026-01-03T00:00:00Z",
		"event opportunity:6e7f8091-2b3c-4d5e-9f0a-1b2c3d4e5f60:archived:2026-01-17T00:00:00Z status=hired at 2026-01-17T00:00:00Z",
		"subject lever:contact:33333333-4444-4555-8666-777777777777 candidate/ hire=",
		"event opportunity:7f8091a2-3c4d-4e5f-8a0b-2c3d4e5f6071:applied status=applied at 2026-01-04T00:00:00Z",
		"event opportunity:7f8091a2-3c4d-4e5f-8a0b-2c3d4e5f6071:archived:2026-01-10T00:00:00Z status=archived: reason b7a0e8f4-1c2d-4e3f-9a8b-7c6d5e4f3a2b at 2026-01-10T00:00:00Z",
	}
	got := summaries(parse(t, molehunt.SourceLever, "l.json", in))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestLeverShapes(t *testing.T) {
	op := func(id string) string { return `{"id":"` + id + `","name":"N ` + id + `","contact":"c` + id + `"}` }
	tests := []struct {
		name, in string
		subjects int
	}{
		{"single", `{"data":` + op("1") + `}`, 1},
		{"page with next first", `{"hasNext":false,"next":null,"data":[` + op("1") + `,` + op("2") + `]}`, 2},
		{"array", `[` + op("1") + `,` + op("2") + `,` + op("3") + `]`, 3},
		{"ndjson", op("1") + "\n" + op("2") + "\n", 2},
		{"ndjson of singles", `{"data":` + op("1") + "}\n" + `{"data":` + op("2") + "}\n", 2},
		{"empty", "  \n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			for _, r := range parse(t, molehunt.SourceLever, "l.json", []byte(tt.in)) {
				if r.Reject != nil {
					t.Errorf("reject %+v", r.Reject)
				}
				if r.Subject != nil {
					n++
				}
			}
			if n != tt.subjects {
				t.Errorf("got %d subjects; want %d", n, tt.subjects)
			}
		})
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in   string
		want molehunt.Address
	}{
		{"123 City Street\nNew York, Ny 10001", molehunt.Address{Street: "123 City Street", City: "New York", Region: "NY", PostalCode: "10001"}},
		{"455 Broadway New York, NY 10280", molehunt.Address{Street: "455 Broadway New York", Region: "NY", PostalCode: "10280"}},
		{"88 Elm Street, Dover, DE 19901", molehunt.Address{Street: "88 Elm Street", City: "Dover", Region: "DE", PostalCode: "19901"}},
		{"Flat 2, 10 Downing St\nLondon SW1A 2AA", molehunt.Address{Street: "Flat 2, 10 Downing St", Note: "London SW1A 2AA"}},
	}
	for _, tt := range tests {
		in := `[{"id":1,"first_name":"A","addresses":[{"value":` + string(must(json.Marshal(tt.in))) + `}]}]`
		recs := parse(t, molehunt.SourceGreenhouse, "a.json", []byte(in))
		if diff := cmp.Diff([]molehunt.Address{tt.want}, recs[0].Subject.Addresses); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestBadStream(t *testing.T) {
	in := `[{"id":1,"first_name":"A"}, {"id":2, "first_name": ]`
	var got []ingest.Record
	err := ats.New(molehunt.SourceGreenhouse).Parse(context.Background(), strings.NewReader(in), options(t, "bad.json"),
		func(r ingest.Record) error { got = append(got, r); return nil })
	var re *molehunt.RecordError
	if !errors.As(err, &re) || re.File != "bad.json" || re.Record != "record 2" {
		t.Fatalf("got %v; want a RecordError at bad.json record 2", err)
	}
	if len(got) != 1 || got[0].Subject == nil {
		t.Errorf("got %d records before the error; want the first subject", len(got))
	}
}

func TestUnknownSource(t *testing.T) {
	err := ats.New(molehunt.SourceOkta).Parse(context.Background(), strings.NewReader("[]"), options(t, "x"), func(ingest.Record) error { return nil })
	if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Fatalf("got %v; want EInvalid", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"greenhouse-candidates.json", "greenhouse-webhook-hired.json", "lever-opportunities.json"} {
		if in, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(in, name[0] == 'l')
		}
	}
	f.Add([]byte(`{"data":[{"id":1,"name":"x","phones":[{"value":1}],"archived":{"reason":{}}}],"data":{}}`), true)
	f.Add([]byte(`{"action":"x","payload":{"candidate":{"id":"\u0000"}}}`), false)
	f.Fuzz(func(t *testing.T, in []byte, lever bool) {
		src := molehunt.SourceGreenhouse
		if lever {
			src = molehunt.SourceLever
		}
		err := ats.New(src).Parse(context.Background(), bytes.NewReader(in), options(t, "fuzz"), func(r ingest.Record) error {
			if r.Subject != nil {
				if err := r.Subject.Validate(); err != nil {
					t.Fatalf("emitted invalid subject: %v", err)
				}
			}
			if r.Event != nil {
				if err := r.Event.Validate(); err != nil {
					t.Fatalf("emitted invalid event: %v", err)
				}
			}
			return nil
		})
		var re *molehunt.RecordError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("error %v is not a *molehunt.RecordError", err)
		}
	})
}
