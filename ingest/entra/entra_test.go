package entra

import (
	"bytes"
	"context"
	"errors"
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
		{"signins.json", "signins.golden.json", Stats{Events: 4, Rejects: 1}},
		{"signins.ndjson", "signins-ndjson.golden.json", Stats{Events: 3, Rejects: 1}},
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
			if st != tc.want {
				t.Errorf("stats %+v; want %+v", st, tc.want)
			}
			checkRecords(t, recs)
			checkGolden(t, tc.golden, recs)
		})
	}
}

func TestRejectInTheMiddle(t *testing.T) {
	in := `[
{"id":"a","createdDateTime":"2026-01-01T00:00:00Z","userPrincipalName":"a@contoso.com","status":{"errorCode":0}},
{"id":"b","createdDateTime":"2026-01-01T00:00:00Z","ipAddress":"300.1.1.1"},
{"id":"c","createdDateTime":"2026-01-01T00:00:00Z","location":{"geoCoordinates":{"latitude":"north"}}},
{"createdDateTime":"2026-01-01T00:00:00Z"},
{"id":"e","createdDateTime":"2026-01-01T00:00:00Z","status":{"errorCode":"50076"}}
]`
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
		{Event: "a success"},
		{Record: "record 2 (id b)", Field: "ipAddress"},
		{Record: "record 3", Field: "location.geoCoordinates.latitude"},
		{Record: "record 4", Field: "id"},
		{Event: "e challenge"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestOutcome(t *testing.T) {
	for code, want := range map[int]molehunt.AuthOutcome{
		0: molehunt.AuthSuccess, 50074: molehunt.AuthChallenge, 50076: molehunt.AuthChallenge,
		50079: molehunt.AuthChallenge, 50158: molehunt.AuthChallenge, 50126: molehunt.AuthFailure,
		53003: molehunt.AuthFailure, 50053: molehunt.AuthFailure, 700016: molehunt.AuthFailure,
	} {
		if got := Outcome(code); got != want {
			t.Errorf("Outcome(%d) = %q; want %q", code, got, want)
		}
	}
}

func TestFactor(t *testing.T) {
	for in, want := range map[string]string{
		"Password": "", "Previously satisfied": "", "": "",
		"Mobile app notification": "push", "Passwordless phone sign-in": "push",
		"OATH verification code": "totp", "Mobile app verification code": "totp",
		"Text message": "sms", "Phone call approval (Authentication phone)": "voice",
		"FIDO2 security key": "webauthn", "Passkey (Microsoft Authenticator)": "passkey",
		"Windows Hello for Business": "windows_hello", "X.509 Certificate": "certificate",
		"Temporary Access Pass": "temporary_access_pass", "Email OTP": "email",
	} {
		if got := factor(in); got != want {
			t.Errorf("factor(%q) = %q; want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"signins.json", "signins.ndjson"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"value": null}`))
	f.Add([]byte(`{"id":"x","createdDateTime":"2026-01-01T00:00:00Z","status":{"errorCode":"x"},"properties":{}}`))
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
