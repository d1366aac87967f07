package persona_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/persona"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func digester(t testing.TB) *ident.Digester {
	key, err := ident.NewKey([]byte("molehunt persona test key 32 b!"))
	if err != nil {
		t.Fatal(err)
	}
	return ident.NewDigester(key)
}

func options(t testing.TB, file string) ingest.Options {
	d := digester(t)
	return ingest.Options{
		File:          file,
		Canon:         &ident.Canonicalizer{Digester: d},
		Digest:        d,
		DefaultRegion: "US",
		Now:           func() time.Time { return now },
	}
}

func parse(t testing.TB, file string, in []byte) []ingest.Record {
	t.Helper()
	var out []ingest.Record
	err := persona.New().Parse(context.Background(), bytes.NewReader(in), options(t, file), func(r ingest.Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for i, r := range out {
		if r.Event != nil {
			if err := r.Event.Validate(); err != nil {
				t.Errorf("record %d: %v", i, err)
			}
		}
	}
	return out
}

func read(t *testing.T) []byte {
	in, err := os.ReadFile(filepath.Join("testdata", "webhooks.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestGolden(t *testing.T) {
	recs := parse(t, "webhooks.jsonl", read(t))
	got, err := json.MarshalIndent(recs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "webhooks.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("golden mismatch (-want +got):\n%s", diff)
	}
}

func TestMapping(t *testing.T) {
	recs := parse(t, "webhooks.jsonl", read(t))
	if len(recs) != 3 {
		t.Fatalf("got %d records; want event, reject, event (account.created skipped)", len(recs))
	}
	// The bad record in the middle: named by record, event and field.
	rj := recs[1].Reject
	if rj == nil || rj.Record != "record 3 (event evt_Broken1)" || rj.Field != "data.attributes.payload.data" {
		t.Errorf("reject %+v; want record 3 (event evt_Broken1), field data.attributes.payload.data", rj)
	}
	d := digester(t)
	dl, _ := d.GovernmentID("US", "drivers_license", "D1234567")
	pp, _ := d.GovernmentID("CA", "passport", "X12345678")
	tests := []struct {
		e          *molehunt.Event
		wantID     string
		wantTime   time.Time
		wantDetail molehunt.IdentityVerificationDetail
		wantActor  []molehunt.Identifier
	}{
		{
			e: recs[0].Event, wantID: "evt_8Ub4yq3VcWJ5KpQe2nRr7TfX",
			wantTime: time.Date(2026, 2, 14, 17, 5, 22, 0, time.UTC),
			wantDetail: molehunt.IdentityVerificationDetail{Vendor: "persona", InquiryID: "inq_3mZkLw9QpV2hNcX4TtYb8RdA",
				DocumentType: "drivers_license", DocumentCountry: "US", Document: molehunt.CheckPassed,
				Selfie: molehunt.CheckPassed, Liveness: molehunt.CheckPassed, Status: "completed"},
			wantActor: []molehunt.Identifier{
				{Kind: molehunt.IDEmail, Value: "jamesmillerdev0917@gmail.com"},
				{Kind: molehunt.IDPhone, Value: "+13025550187"},
				{Kind: molehunt.IDLogin, Value: "cand-71003001"},
				{Kind: molehunt.IDGovernmentID, Value: dl},
			},
		},
		{
			// The last government-id attempt counts, not the retried one.
			e: recs[2].Event, wantID: "evt_Zx9cV2bN5mL8kJ1hG4fD7sA0",
			wantTime: time.Date(2026, 2, 16, 3, 12, 45, 0, time.UTC),
			wantDetail: molehunt.IdentityVerificationDetail{Vendor: "persona", InquiryID: "inq_7yHn2bGv5tFc8rDx1eSz4wQa",
				DocumentType: "passport", DocumentCountry: "CA", Document: molehunt.CheckFailed,
				Selfie: molehunt.CheckFailed, Liveness: molehunt.CheckFailed, Status: "declined"},
			wantActor: []molehunt.Identifier{
				{Kind: molehunt.IDEmail, Value: "alex.chen.rs@proton.me"},
				{Kind: molehunt.IDPhone, Value: "+16465550144"},
				{Kind: molehunt.IDLogin, Value: "lever:contact:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"},
				{Kind: molehunt.IDGovernmentID, Value: pp},
			},
		},
	}
	for _, tt := range tests {
		if tt.e == nil {
			t.Fatal("missing event")
		}
		if tt.e.SourceEventID != tt.wantID || !tt.e.Time.Equal(tt.wantTime) {
			t.Errorf("got %s at %v; want %s at %v", tt.e.SourceEventID, tt.e.Time, tt.wantID, tt.wantTime)
		}
		if diff := cmp.Diff(tt.wantDetail, *tt.e.IdentityVerification); diff != "" {
			t.Errorf("%s detail (-want +got):\n%s", tt.wantID, diff)
		}
		if diff := cmp.Diff(tt.wantActor, tt.e.Actor); diff != "" {
			t.Errorf("%s actor (-want +got):\n%s", tt.wantID, diff)
		}
	}
}

// TestRedacted checks that no government ID number survives in Raw, in
// any spelling of the key.
func TestRedacted(t *testing.T) {
	recs := parse(t, "webhooks.jsonl", read(t))
	for _, r := range recs {
		if r.Event == nil {
			continue
		}
		for _, n := range []string{"D1234567", "X12345678", "GA000001"} {
			if bytes.Contains(r.Event.Raw, []byte(n)) {
				t.Errorf("%s: raw holds %s", r.Event.SourceEventID, n)
			}
		}
	}
	in := `{"data":{"type":"inquiry","id":"inq_1","attributes":{"status":"approved","identification_number":"A1","passportNumber":"B2","fields":{"identification-number":{"type":"string","value":"C3"}}}}}`
	recs = parse(t, "i.json", []byte(in))
	if len(recs) != 1 || recs[0].Event == nil {
		t.Fatalf("got %+v; want one event", recs)
	}
	for _, n := range []string{`"A1"`, `"B2"`, `"C3"`} {
		if bytes.Contains(recs[0].Event.Raw, []byte(n)) {
			t.Errorf("raw holds %s: %s", n, recs[0].Event.Raw)
		}
	}
	if !strings.HasPrefix(recs[0].Event.SourceEventID, "inquiry:inq_1:approved:") {
		t.Errorf("inquiry key %q", recs[0].Event.SourceEventID)
	}
}

func TestShapes(t *testing.T) {
	one := `{"data":{"type":"event","id":"evt_1","attributes":{"name":"inquiry.approved","created-at":"2026-01-01T00:00:00Z","payload":{"data":{"type":"inquiry","id":"inq_1","attributes":{"status":"approved"}}}}}}`
	for name, in := range map[string]string{
		"array":  "[" + one + "," + strings.Replace(one, "evt_1", "evt_2", 1) + "]",
		"ndjson": one + "\n" + strings.Replace(one, "evt_1", "evt_2", 1) + "\n",
	} {
		recs := parse(t, name, []byte(in))
		if len(recs) != 2 || recs[0].Event == nil || recs[1].Event == nil {
			t.Errorf("%s: got %d records; want 2 events", name, len(recs))
		}
	}
	var re *molehunt.RecordError
	err := persona.New().Parse(context.Background(), strings.NewReader(one+"\n{"), options(t, "x"), func(ingest.Record) error { return nil })
	if !errors.As(err, &re) || re.Record != "record 2" {
		t.Errorf("truncated stream: got %v; want RecordError at record 2", err)
	}
}

func FuzzParse(f *testing.F) {
	if in, err := os.ReadFile(filepath.Join("testdata", "webhooks.jsonl")); err == nil {
		for _, l := range bytes.Split(in, []byte("\n")) {
			f.Add(l)
		}
	}
	f.Add([]byte(`{"data":{"type":"inquiry","id":"\u0000","attributes":{"status":"\n"}}}`))
	f.Add([]byte(`[{"data":{"type":"event","id":"e","attributes":{"name":"inquiry.x","payload":{"data":{"type":"inquiry","id":"i"},"included":[{"type":"verification/selfie","attributes":{"checks":[{}]}}]}}}}]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		err := persona.New().Parse(context.Background(), bytes.NewReader(in), options(t, "fuzz"), func(r ingest.Record) error {
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
