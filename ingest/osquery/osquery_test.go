package osquery_test

import (
	"bytes"
	"context"
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
	"molehunt/ingest/osquery"
	"molehunt/internal/golden"
)

var now = time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)

func options(t testing.TB, file string) ingest.Options {
	key, err := ident.NewKey([]byte("molehunt osquery test key 32 by"))
	if err != nil {
		t.Fatal(err)
	}
	d := ident.NewDigester(key)
	return ingest.Options{
		File:          file,
		Canon:         &ident.Canonicalizer{Digester: d, DefaultRegion: "US"},
		Digest:        d,
		DefaultRegion: "US",
		Now:           func() time.Time { return now },
	}
}

func parse(t testing.TB, p *osquery.Parser, file string, in []byte) []ingest.Record {
	t.Helper()
	var out []ingest.Record
	err := p.Parse(context.Background(), bytes.NewReader(in), options(t, file), func(r ingest.Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return out
}

// golden compares records with testdata/<name>.golden.json.
func checkGolden(t *testing.T, name string, recs []ingest.Record) {
	t.Helper()
	golden.JSON(t, filepath.Join("testdata", name+".golden.json"), recs)
}

func checkValid(t testing.TB, recs []ingest.Record) {
	t.Helper()
	for i, r := range recs {
		n := 0
		for _, set := range []bool{r.Subject != nil, r.Event != nil, r.Reject != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("record %d: %d of subject/event/reject set; want 1", i, n)
		}
		if r.Event != nil {
			if err := r.Event.Validate(); err != nil {
				t.Errorf("record %d: %v", i, err)
			}
		}
	}
}

func TestGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "results.log"))
	if err != nil {
		t.Fatal(err)
	}
	recs := parse(t, osquery.New(osquery.Config{KeyboardAndLocale: true}), "results.log", in)
	checkValid(t, recs)
	checkGolden(t, "results", recs)
}

// TestKeyboardAndLocalePolicy checks that keyboard and locale rows are
// dropped unless the policy turns them on, and that time zones are not.
func TestKeyboardAndLocalePolicy(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "results.log"))
	if err != nil {
		t.Fatal(err)
	}
	count := func(recs []ingest.Record) map[molehunt.EndpointCategory]int {
		m := map[molehunt.EndpointCategory]int{}
		for _, r := range recs {
			if r.Event != nil {
				m[r.Event.Endpoint.Category]++
			}
		}
		return m
	}
	off := count(parse(t, osquery.New(osquery.Config{}), "results.log", in))
	on := count(parse(t, osquery.New(osquery.Config{KeyboardAndLocale: true}), "results.log", in))
	if off[molehunt.EndpointKeyboard] != 0 || off[molehunt.EndpointLocale] != 0 {
		t.Errorf("policy off: got %d keyboard and %d locale events; want 0", off[molehunt.EndpointKeyboard], off[molehunt.EndpointLocale])
	}
	if on[molehunt.EndpointKeyboard] == 0 || on[molehunt.EndpointLocale] == 0 {
		t.Errorf("policy on: got %v; want keyboard and locale events", on)
	}
	if off[molehunt.EndpointTimeZone] != on[molehunt.EndpointTimeZone] || off[molehunt.EndpointTimeZone] == 0 {
		t.Errorf("time zone events: off %d, on %d; want equal and non-zero", off[molehunt.EndpointTimeZone], on[molehunt.EndpointTimeZone])
	}
}

func TestRows(t *testing.T) {
	const env = `"hostIdentifier":"h1","unixTime":"1772529611","epoch":"0","counter":"1","decorations":{"hostname":"h1.example.com"}`
	tests := []struct {
		name string
		line string
		want *molehunt.EndpointDetail // nil: no event
	}{
		{
			name: "usb ids padded and lower-cased",
			line: `{"name":"usb_devices",` + env + `,"columns":{"vendor_id":"0x46D","model_id":"C52B","vendor":"Logitech","model":"USB Receiver"},"action":"added"}`,
			want: &molehunt.EndpointDetail{Host: "h1.example.com", Category: molehunt.EndpointUSBDevice, Action: "added",
				VendorID: "046d", ProductID: "c52b", Vendor: "Logitech", Product: "USB Receiver"},
		},
		{
			name: "usb id not hex is dropped",
			line: `{"name":"usb_devices",` + env + `,"columns":{"vendor_id":"Linux Foundation","model_id":"12345"},"action":"added"}`,
			want: &molehunt.EndpointDetail{Host: "h1.example.com", Category: molehunt.EndpointUSBDevice, Action: "added"},
		},
		{
			name: "usb recognised by columns",
			line: `{"name":"q42",` + env + `,"columns":{"vendor_id":"1d6b","product_id":"104"},"action":"removed"}`,
			want: &molehunt.EndpointDetail{Host: "h1.example.com", Category: molehunt.EndpointUSBDevice, Action: "removed",
				VendorID: "1d6b", ProductID: "0104"},
		},
		{
			name: "process name from path",
			line: `{"name":"pack/rmm/process_events",` + env + `,"columns":{"pid":"1","path":"C:\\Program Files\\AnyDesk\\AnyDesk.exe","cmdline":"x"},"action":"added"}`,
			want: &molehunt.EndpointDetail{Host: "h1.example.com", Category: molehunt.EndpointProcess, Action: "added",
				Name: "AnyDesk.exe", Path: `C:\Program Files\AnyDesk\AnyDesk.exe`},
		},
		{
			name: "socket events are not processes",
			line: `{"name":"q7",` + env + `,"columns":{"pid":"1","path":"/usr/bin/curl","cmdline":"curl","remote_address":"1.2.3.4"},"action":"added"}`,
		},
		{
			name: "time table zone is local_timezone, not timezone",
			line: `{"name":"time",` + env + `,"columns":{"timezone":"UTC","local_timezone":"JST","unix_time":"1"},"action":"added"}`,
			want: &molehunt.EndpointDetail{Host: "h1.example.com", Category: molehunt.EndpointTimeZone, Action: "added", Zone: "JST"},
		},
		{
			name: "macOS AppleLocale",
			line: `{"name":"prefs",` + env + `,"columns":{"domain":".GlobalPreferences","key":"AppleLocale","subkey":"","value":"ko_KR"},"action":"added"}`,
			want: &molehunt.EndpointDetail{Host: "h1.example.com", Category: molehunt.EndpointLocale, Action: "added", Layout: "ko_KR", Name: "AppleLocale"},
		},
		{
			name: "macOS AppleLanguages is language, never read",
			line: `{"name":"prefs",` + env + `,"columns":{"domain":".GlobalPreferences","key":"AppleLanguages","subkey":"0","value":"ko-KR"},"action":"added"}`,
		},
		{
			name: "keyboard_layout column",
			line: `{"name":"custom",` + env + `,"columns":{"keyboard_layout":"us"},"action":"added"}`,
			want: &molehunt.EndpointDetail{Host: "h1.example.com", Category: molehunt.EndpointKeyboard, Action: "added", Layout: "us"},
		},
		{
			name: "rpm package",
			line: `{"name":"rpm_packages",` + env + `,"columns":{"name":"teamviewer","version":"15.62.4","vendor":"TeamViewer Germany GmbH","arch":"x86_64"},"action":"added"}`,
			want: &molehunt.EndpointDetail{Host: "h1.example.com", Category: molehunt.EndpointProgram, Action: "added",
				Name: "teamviewer", Version: "15.62.4", Vendor: "TeamViewer Germany GmbH"},
		},
		{
			name: "numerics true",
			line: `{"name":"processes","hostIdentifier":"h1","unixTime":1772529611,"epoch":0,"counter":1,"numerics":true,"columns":{"pid":4412,"name":"rustdesk","path":"/usr/bin/rustdesk"},"action":"added"}`,
			want: &molehunt.EndpointDetail{Host: "h1", Category: molehunt.EndpointProcess, Action: "added", Name: "rustdesk", Path: "/usr/bin/rustdesk"},
		},
		{
			name: "unknown table",
			line: `{"name":"startup_items",` + env + `,"columns":{"name":"Phone.app","path":"/Applications/Phone.app"},"action":"added"}`,
		},
	}
	p := osquery.New(osquery.Config{KeyboardAndLocale: true})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := parse(t, p, "t.log", []byte(tt.line+"\n"))
			checkValid(t, recs)
			var got *molehunt.EndpointDetail
			for _, r := range recs {
				if r.Reject != nil {
					t.Fatalf("reject: %+v", r.Reject)
				}
				got = r.Event.Endpoint
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("detail (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeviceIDs checks that system_info's serial and UUID become Actor
// identifiers of later rows of the same host, and that decorations win.
func TestDeviceIDs(t *testing.T) {
	in := `{"name":"system_info","hostIdentifier":"h1","unixTime":"1","columns":{"hardware_serial":"c02 xk1","uuid":"{a7d2c1e0-5b3f-4e8a-9c1d-2f6e8b4a7c90}","hardware_model":"Mac14,10"},"action":"added"}
{"name":"processes","hostIdentifier":"h1","unixTime":"2","columns":{"pid":"1","name":"AnyDesk","path":"/a"},"action":"added"}
{"name":"processes","hostIdentifier":"h2","unixTime":"2","decorations":{"serial":"Default string","username":"Bob"},"columns":{"pid":"1","name":"AnyDesk","path":"/a"},"action":"added"}
`
	recs := parse(t, osquery.New(osquery.Config{}), "t.log", []byte(in))
	checkValid(t, recs)
	if len(recs) != 3 {
		t.Fatalf("got %d records; want 3", len(recs))
	}
	want := []molehunt.Identifier{
		{Kind: molehunt.IDDeviceSerial, Value: "C02XK1"},
		{Kind: molehunt.IDHardwareUUID, Value: "A7D2C1E0-5B3F-4E8A-9C1D-2F6E8B4A7C90"},
	}
	for i := 0; i < 2; i++ {
		if diff := cmp.Diff(want, recs[i].Event.Actor); diff != "" {
			t.Errorf("record %d actor (-want +got):\n%s", i, diff)
		}
	}
	// A placeholder serial is no identifier; the login is.
	if diff := cmp.Diff([]molehunt.Identifier{{Kind: molehunt.IDLogin, Value: "bob"}}, recs[2].Event.Actor); diff != "" {
		t.Errorf("placeholder serial: actor (-want +got):\n%s", diff)
	}
}

// TestSourceEventID checks the idempotency key: the same row again (even
// with numerics on) gives the same key; another run, action or row does not.
func TestSourceEventID(t *testing.T) {
	base := `{"name":"processes","hostIdentifier":"h1","unixTime":"5","epoch":"7","counter":"%s","numerics":false,"columns":{"pid":"%s","name":"x","path":"/x"},"action":"%s"}`
	line := func(counter, pid, action string) string {
		s := strings.Replace(base, "%s", counter, 1)
		s = strings.Replace(s, "%s", pid, 1)
		return strings.Replace(s, "%s", action, 1)
	}
	numeric := `{"name":"processes","hostIdentifier":"h1","unixTime":5,"epoch":7,"counter":1,"numerics":true,"columns":{"pid":10,"name":"x","path":"/x"},"action":"added"}`
	in := strings.Join([]string{
		line("1", "10", "added"), numeric, line("2", "10", "added"), line("1", "10", "removed"), line("1", "11", "added"),
	}, "\n")
	recs := parse(t, osquery.New(osquery.Config{}), "t.log", []byte(in))
	checkValid(t, recs)
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Event.SourceEventID
	}
	if ids[0] != ids[1] {
		t.Errorf("same row with numerics: %q != %q", ids[0], ids[1])
	}
	seen := map[string]bool{ids[0]: true}
	for _, id := range ids[2:] {
		if seen[id] {
			t.Errorf("duplicate key %q for a different row", id)
		}
		seen[id] = true
	}
	if !strings.HasPrefix(ids[0], "h1|processes|7|1|added|") {
		t.Errorf("key %q; want prefix h1|processes|7|1|added|", ids[0])
	}
}

// TestRejects checks that bad lines in the middle become rejects naming the
// line and field while the lines around them are still emitted.
func TestRejects(t *testing.T) {
	good := `{"name":"processes","hostIdentifier":"h1","unixTime":"5","columns":{"pid":"1","name":"x","path":"/x"},"action":"added"}`
	tests := []struct {
		name, bad, field string
	}{
		{"not json", `{"name":`, ""},
		{"no rows", `{"name":"processes","hostIdentifier":"h1"}`, "columns"},
		{"bad action", `{"name":"processes","hostIdentifier":"h1","columns":{"pid":"1","name":"x"},"action":"snapshot"}`, "action"},
		{"snapshot not array", `{"name":"processes","snapshot":{"a":1},"action":"snapshot"}`, "snapshot"},
		{"row not object", `{"name":"processes","snapshot":[1],"action":"snapshot"}`, "snapshot[0]"},
		{"decorations not object", `{"name":"processes","decorations":[1],"columns":{"pid":"1","name":"x"},"action":"added"}`, "decorations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := parse(t, osquery.New(osquery.Config{}), "bad.log", []byte(good+"\n"+tt.bad+"\n"+good+"\n"))
			checkValid(t, recs)
			if len(recs) != 3 || recs[0].Event == nil || recs[2].Event == nil || recs[1].Reject == nil {
				t.Fatalf("got %+v; want event, reject, event", recs)
			}
			rj := recs[1].Reject
			if rj.File != "bad.log" || rj.Record != "line 2" || rj.Field != tt.field || rj.Source != molehunt.SourceOsquery {
				t.Errorf("reject %+v; want file bad.log, record line 2, field %q", rj, tt.field)
			}
		})
	}
}

func TestLongLine(t *testing.T) {
	good := `{"name":"processes","hostIdentifier":"h1","unixTime":"5","columns":{"pid":"1","name":"x","path":"/x"},"action":"added"}`
	long := `{"name":"` + strings.Repeat("a", osquery.MaxLineLen) + `"}`
	recs := parse(t, osquery.New(osquery.Config{}), "big.log", []byte(good+"\n"+long+"\n"+good))
	if len(recs) != 3 || recs[1].Reject == nil || recs[1].Reject.Record != "line 2" || recs[2].Event == nil {
		t.Fatalf("got %d records; want event, reject on line 2, event", len(recs))
	}
}

func TestEmitErrorStops(t *testing.T) {
	stop := errors.New("stop")
	in := `{"name":"processes","hostIdentifier":"h1","unixTime":"5","columns":{"pid":"1","name":"x","path":"/x"},"action":"added"}` + "\n"
	err := osquery.New(osquery.Config{}).Parse(context.Background(), strings.NewReader(in+in), options(t, "x"), func(ingest.Record) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("got %v; want the emit error", err)
	}
}

func FuzzParse(f *testing.F) {
	if in, err := os.ReadFile(filepath.Join("testdata", "results.log")); err == nil {
		for _, l := range bytes.Split(in, []byte("\n")) {
			f.Add(l)
		}
	}
	f.Add([]byte(`{"diffResults":{"added":[{"vendor_id":"1","model_id":"2"}],"removed":[null]},"name":"usb"}`))
	f.Add([]byte(`{"snapshot":[{"hardware_serial":"x","uuid":"y"}],"hostname":"\u0000","unixTime":-1}`))
	f.Add([]byte("{}\n\n[]\nnull\n"))
	p := osquery.New(osquery.Config{KeyboardAndLocale: true})
	f.Fuzz(func(t *testing.T, in []byte) {
		err := p.Parse(context.Background(), bytes.NewReader(in), options(t, "fuzz"), func(r ingest.Record) error {
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
