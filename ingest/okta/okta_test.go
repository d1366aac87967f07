package okta

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		in, golden string
		want       Stats
	}{
		{"syslog.json", "syslog.golden.json", Stats{Events: 6, Rejects: 1, Skipped: 1, SkippedTypes: map[string]int{"user.lifecycle.create": 1}}},
		{"hook.json", "hook.golden.json", Stats{Events: 2, Skipped: 1, SkippedTypes: map[string]int{"user.session.end": 1}}},
		{"syslog.ndjson", "syslog-ndjson.golden.json", Stats{Events: 3, Rejects: 1, Skipped: 1, SkippedTypes: map[string]int{"user.lifecycle.create": 1}}},
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

// checkRecords asserts that every event validates and every reject names
// its record.
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

func TestRejectInTheMiddle(t *testing.T) {
	in := `[
{"uuid":"u1","published":"2026-01-01T00:00:00Z","eventType":"user.session.start","actor":{"type":"User","alternateId":"a@example.com"},"outcome":{"result":"SUCCESS"}},
{"uuid":"u2","published":"2026-01-01T00:00:01Z","eventType":"user.session.start","client":{"ipAddress":12345}},
{"uuid":"u3","published":"2026-01-01T00:00:02Z","eventType":"user.session.start","client":{"ipAddress":"not-an-ip"}},
{"published":"2026-01-01T00:00:03Z","eventType":"user.session.start"},
{"uuid":"u5","published":"2026-01-01T00:00:04Z","eventType":"user.authentication.sso","actor":{"type":"User","alternateId":"b@example.com"}}
]`
	recs, st, err := parse(t, "mid.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Event, Record, Field string }
	var got []row
	for _, r := range recs {
		if r.Event != nil {
			got = append(got, row{Event: r.Event.SourceEventID})
		} else {
			got = append(got, row{Record: r.Reject.Record, Field: r.Reject.Field})
			if r.Reject.File != "mid.json" || r.Reject.Source != molehunt.SourceOkta {
				t.Errorf("reject %+v: want file mid.json, source okta", r.Reject)
			}
		}
	}
	want := []row{
		{Event: "u1"},
		{Record: "record 2", Field: "client.ipAddress"},
		{Record: "record 3 (uuid u3)", Field: "client.ipAddress"},
		{Record: "record 4", Field: "uuid"},
		{Event: "u5"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if st.Events != 2 || st.Rejects != 3 {
		t.Errorf("stats %+v: want 2 events, 3 rejects", st)
	}
}

func TestBrokenStream(t *testing.T) {
	// A framing error in a JSON array is fatal, as a *RecordError; what
	// came before stays emitted.
	in := `[{"uuid":"u1","published":"2026-01-01T00:00:00Z","eventType":"user.session.start"}, {"uuid": ]`
	recs, _, err := parse(t, "broken.json", []byte(in))
	var re *molehunt.RecordError
	if !errors.As(err, &re) || re.File != "broken.json" {
		t.Fatalf("err = %v; want a *RecordError for broken.json", err)
	}
	if len(recs) != 1 || recs[0].Event == nil {
		t.Errorf("records before the break: got %d, want the 1 event", len(recs))
	}
}

func TestEmitErrorStops(t *testing.T) {
	in, _ := os.ReadFile(filepath.Join("testdata", "syslog.json"))
	stop := errors.New("stop")
	n := 0
	err := New().Parse(context.Background(), bytes.NewReader(in), ingest.Options{File: "x"}, func(ingest.Record) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("err = %v after %d emits; want stop after 1", err, n)
	}
}

func TestFactor(t *testing.T) {
	for in, want := range map[string]string{
		"OKTA_VERIFY_PUSH":          "push",
		"push":                      "push",
		"token:software:totp":       "totp",
		"GOOGLE_AUTHENTICATOR":      "totp",
		"Google Authenticator":      "totp",
		"sms":                       "sms",
		"call":                      "voice",
		"webauthn":                  "webauthn",
		"Security Key or Biometric": "webauthn",
		"signed_nonce":              "fastpass",
		"Email":                     "email",
		"Okta Verify":               "okta_verify",
		"Phone":                     "phone",
		"PASSWORD":                  "",
		"":                          "",
		"Duo Security":              "duo_security",
	} {
		if got := factor(in); got != want {
			t.Errorf("factor(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{
		"Canada":                "CA",
		"United States":         "US",
		"South Korea":           "KR",
		"North Korea":           "KP",
		"Russia":                "RU",
		"Russian Federation":    "RU",
		"Vietnam":               "VN",
		"Hong Kong":             "HK",
		"China":                 "CN",
		"Saint Kitts and Nevis": "KN",
		"us":                    "US",
		"null":                  "",
		"":                      "",
		"Atlantis":              "Atlantis",
	} {
		if got := countryCode(in); got != want {
			t.Errorf("countryCode(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestOutcome(t *testing.T) {
	for in, want := range map[string]molehunt.AuthOutcome{
		"SUCCESS": molehunt.AuthSuccess, "ALLOW": molehunt.AuthSuccess,
		"FAILURE": molehunt.AuthFailure, "DENY": molehunt.AuthFailure,
		"CHALLENGE": molehunt.AuthChallenge, "SKIPPED": molehunt.AuthUnknown, "": molehunt.AuthUnknown,
	} {
		if got := outcome(in); got != want {
			t.Errorf("outcome(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestFraming(t *testing.T) {
	one := `{"uuid":"u1","published":"2026-01-01T00:00:00Z","eventType":"user.session.start"}`
	two := `{"uuid":"u2","published":"2026-01-01T00:00:00Z","eventType":"user.session.start"}`
	pretty := "{\n  \"uuid\": \"u1\",\n  \"published\": \"2026-01-01T00:00:00Z\",\n  \"eventType\": \"user.session.start\"\n}\n"
	for name, in := range map[string]string{
		"array":            "[" + one + "," + two + "]",
		"ndjson":           one + "\n" + two + "\n",
		"ndjson crlf, bom": "\xef\xbb\xbf" + one + "\r\n\r\n" + two,
		"pretty values":    pretty + strings.Replace(pretty, "u1", "u2", 1),
		"hook one line":    `{"eventType":"com.okta.event_hook","data":{"events":[` + one + "," + two + `]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			recs, _, err := parse(t, name, []byte(in))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range recs {
				if r.Event == nil {
					t.Fatalf("unexpected reject %+v", r.Reject)
				}
				ids = append(ids, r.Event.SourceEventID)
			}
			if d := cmp.Diff([]string{"u1", "u2"}, ids); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"syslog.json", "hook.json", "syslog.ndjson"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"uuid":"x","published":"2026-01-01T00:00:00Z","eventType":"user.session.start","client":{"ipAddress":"::1%eth0"}}`))
	f.Add([]byte(`[1, "a", null, {"eventType":"user.session.start"}]`))
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
