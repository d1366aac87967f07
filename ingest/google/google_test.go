package google

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/internal/golden"
)

func parse(t testing.TB, file string, in []byte) ([]ingest.Record, Stats, error) {
	t.Helper()
	var recs []ingest.Record
	st, err := New().ParseStats(context.Background(), bytes.NewReader(in),
		ingest.Options{File: file, Canon: &ident.Canonicalizer{}},
		func(r ingest.Record) error { recs = append(recs, r); return nil })
	return recs, st, err
}

func checkGolden(t *testing.T, name string, recs []ingest.Record) {
	t.Helper()
	golden.JSON(t, filepath.Join("testdata", name), recs)
}

func checkRecords(t testing.TB, recs []ingest.Record) {
	t.Helper()
	for i, r := range recs {
		switch {
		case r.Event != nil:
			if err := r.Event.Validate(); err != nil {
				t.Errorf("record %d: emitted event does not validate: %v", i, err)
			}
		case r.Reject != nil:
			if r.Reject.Record == "" || r.Reject.Reason == "" {
				t.Errorf("record %d: reject without record or reason: %+v", i, r.Reject)
			}
		default:
			t.Errorf("record %d: neither event nor reject", i)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		in, golden string
		want       Stats
	}{
		{"login-activities.json", "login-activities.golden.json", Stats{Events: 6, Rejects: 1, Skipped: 1,
			SkippedNames: map[string]int{"login/logout": 1}}},
		{"login-activities.ndjson", "login-activities-ndjson.golden.json", Stats{Events: 4, Rejects: 1, Skipped: 1,
			SkippedNames: map[string]int{"saml/login_success": 1}}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", tc.in))
			if err != nil {
				t.Fatal(err)
			}
			recs, st, err := parse(t, tc.in, in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d := cmp.Diff(tc.want, st); d != "" {
				t.Errorf("stats (-want +got):\n%s", d)
			}
			checkRecords(t, recs)
			checkGolden(t, tc.golden, recs)
		})
	}
}

func TestRejectInTheMiddle(t *testing.T) {
	in := `{"items": [
{"id":{"time":"2026-01-01T00:00:00Z","uniqueQualifier":"1","applicationName":"login"},"actor":{"email":"a@example.com"},"events":[{"name":"login_success"}]},
{"id":{"time":"2026-01-01T00:00:00Z","uniqueQualifier":"2","applicationName":"login"},"ipAddress":"1.2.3","events":[{"name":"login_success"}]},
{"id":{"time":"yesterday","uniqueQualifier":"3"},"events":[{"name":"login_success"}]},
{"id":{"time":"2026-01-01T00:00:00Z","uniqueQualifier":"4"},"events":{"name":"login_success"}},
{"events":[{"name":"login_success"}]},
{"id":{"time":"2026-01-01T00:00:00Z","uniqueQualifier":6},"events":[{"name":"login_failure","parameters":[{"name":"login_failure_type","value":"login_failure_invalid_password"}]}]}
], "nextPageToken": "x"}`
	recs, _, err := parse(t, "mid.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Event, Record, Field string }
	var got []row
	for _, r := range recs {
		if r.Event != nil {
			got = append(got, row{Event: r.Event.SourceEventID + " " + string(r.Event.Auth.Outcome)})
		} else {
			got = append(got, row{Record: r.Reject.Record, Field: r.Reject.Field})
		}
	}
	want := []row{
		{Event: "1:0 success"},
		{Record: "record 2", Field: "ipAddress"},
		{Record: "record 3", Field: "id.time"},
		{Record: "record 4", Field: "events"},
		{Record: "record 5", Field: "id"},
		{Event: "6:0 failure"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestMapEvent(t *testing.T) {
	p := func(name, value string) parameter { return parameter{Name: name, Value: value} }
	multi := func(name string, v ...string) parameter { return parameter{Name: name, MultiValue: v} }
	for _, tc := range []struct {
		name string
		e    event
		want molehunt.AuthDetail
	}{
		{"success with prompt", event{Name: "login_success", Parameters: []parameter{multi("login_challenge_method", "password", "google_prompt")}},
			molehunt.AuthDetail{Outcome: molehunt.AuthSuccess, MFAFactor: "push"}},
		{"failure", event{Name: "login_failure", Parameters: []parameter{p("login_failure_type", "login_failure_invalid_second_factor"), multi("login_challenge_method", "password", "idv_preregistered_phone")}},
			molehunt.AuthDetail{Outcome: molehunt.AuthFailure, Reason: "login_failure_invalid_second_factor", MFAFactor: "sms"}},
		{"challenge passed", event{Name: "login_challenge", Parameters: []parameter{p("login_challenge_status", "Challenge Passed"), multi("login_challenge_method", "security_key")}},
			molehunt.AuthDetail{Outcome: molehunt.AuthChallenge, Reason: "Challenge Passed", MFAFactor: "webauthn"}},
		{"challenge failed", event{Name: "login_challenge", Parameters: []parameter{p("login_challenge_status", "Challenge Failed")}},
			molehunt.AuthDetail{Outcome: molehunt.AuthFailure, Reason: "Challenge Failed"}},
		{"verification", event{Name: "login_verification", Parameters: []parameter{p("login_challenge_status", "Challenge Passed"), p("login_challenge_method", "google_authenticator")}},
			molehunt.AuthDetail{Outcome: molehunt.AuthSuccess, MFAFactor: "totp"}},
		{"suspicious", event{Name: "suspicious_login"}, molehunt.AuthDetail{Reason: "suspicious_login"}},
		{"2sv enroll", event{Name: "2sv_enroll"}, molehunt.AuthDetail{Outcome: molehunt.AuthSuccess, Reason: "2sv_enroll"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got molehunt.AuthDetail
			mapEvent(&got, tc.e)
			if d := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"login-activities.json", "login-activities.ndjson"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"items": null}`))
	f.Add([]byte(`[{"id":{"time":"2026-01-01T00:00:00Z","uniqueQualifier":1},"events":[{"name":"login_success","parameters":[{"name":"x","intValue":{}}]}]}]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		recs, _, err := parse(t, "fuzz", in)
		if err != nil {
			var re *molehunt.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T) is not a *RecordError", err, err)
			}
		}
		checkRecords(t, recs)
	})
}
