package nacha_test

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

	"github.com/google/go-cmp/cmp"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/nacha"
	"molehunt/internal/testdata"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func options(t testing.TB, file string) ingest.Options {
	t.Helper()
	key, err := ident.NewKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	d := ident.NewDigester(key)
	return ingest.Options{File: file, Digest: d, Canon: &ident.Canonicalizer{Digester: d, DefaultRegion: "US"}}
}

// record is ingest.Record with JSON names, for golden files.
type record struct {
	Subject *molehunt.Subject `json:"subject,omitempty"`
	Event   *molehunt.Event   `json:"event,omitempty"`
	Reject  *molehunt.Reject  `json:"reject,omitempty"`
}

func parse(t testing.TB, data []byte, file string) []record {
	t.Helper()
	var out []record
	err := nacha.New().Parse(context.Background(), bytes.NewReader(data), options(t, file), func(r ingest.Record) error {
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

func checkGolden(t *testing.T, path string, got []record) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(b)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.ach")
	if len(files) == 0 {
		t.Fatal("no testdata/*.ach")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := parse(t, data, filepath.Base(f))
			checkGolden(t, strings.TrimSuffix(f, ".ach")+".golden.json", got)
			for _, r := range got {
				if r.Reject != nil {
					t.Errorf("unexpected reject %+v", *r.Reject)
				}
			}
		})
	}
}

// TestRealFiles parses every real ACH file kept beside the repository: each
// must parse whole, with only the control mismatches it is known to have.
func TestRealFiles(t *testing.T) {
	knownRejects := map[string][]string{
		// The file control counts 5 batches; the file holds 4 (SOURCES.md).
		// The IAT batch control leaves its company identification blank;
		// the rules want the header's originator identification there.
		"nacha/iat-mixedCreditDebit.ach": {"line 23 company_identification"},
		// moov-io's IAT test file also announces 7 addenda per entry and
		// carries 9 (the optional 17 and 18); that count is not checked.
	}
	for _, dir := range [][]string{{"nacha"}} {
		base := testdata.SharedData(t, dir...)
		files, err := filepath.Glob(filepath.Join(base, "*.ach"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no .ach files in %s", base)
		}
		for _, f := range files {
			name := strings.Join(dir, "/") + "/" + filepath.Base(f)
			t.Run(name, func(t *testing.T) {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				got := parse(t, data, filepath.Base(f))
				var rejects []string
				entries := 0
				for _, r := range got {
					if r.Reject != nil {
						rejects = append(rejects, r.Reject.Record+" "+r.Reject.Field)
					}
					if r.Event != nil {
						entries++
					}
				}
				if diff := cmp.Diff(knownRejects[name], rejects); diff != "" {
					t.Errorf("rejects differ (-want +got):\n%s", diff)
				}
				if want := bytes.Count(data, []byte("\n6")) + boolInt(data[0] == '6'); entries != want {
					t.Errorf("%d events; want one per entry detail record, %d", entries, want)
				}
				checkGolden(t, filepath.Join("testdata", "real", strings.Join(dir, "-")+"-"+strings.TrimSuffix(filepath.Base(f), ".ach")+".golden.json"), got)
			})
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAccountNeverInClear checks that no emitted byte holds an account
// number of the fixture.
func TestAccountNeverInClear(t *testing.T) {
	data, err := os.ReadFile("testdata/ppd-payroll.ach")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(parse(t, data, "ppd-payroll.ach"))
	for _, acct := range []string{"4412038817", "8310072201", "000123456789", "99-1283-44", "1000458821", "70120033"} {
		if bytes.Contains(out, []byte(acct)) {
			t.Errorf("account number %s appears in the output", acct)
		}
	}
}

// mutate returns the fixture with line n (1-based) changed by fn.
func mutate(t *testing.T, n int, fn func(string) string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/ppd-payroll.ach")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	lines[n-1] = fn(lines[n-1])
	return []byte(strings.Join(lines, "\n"))
}

func replaceAt(pos int, with string) func(string) string {
	return func(s string) string { return s[:pos-1] + with + s[pos-1+len(with):] }
}

func TestBrokenFiles(t *testing.T) {
	type rej struct{ Record, Field string }
	tests := []struct {
		name        string
		data        []byte
		wantRejects []rej
		wantEvents  []string // trace numbers emitted, in order
	}{
		{
			name:        "entry one character short",
			data:        mutate(t, 4, func(s string) string { return s[:50] + s[51:] }),
			wantRejects: []rej{{"line 4", "record_length"}, {"line 8", "entry_hash"}, {"line 8", "total_credit_amount"}, {"line 13", "entry_hash"}, {"line 13", "total_credit_amount"}},
			wantEvents:  []string{"091000010000001", "091000010000003", "091000010000004", "091000010000005", "091000010000001"},
		},
		{
			name:        "bad check digit",
			data:        mutate(t, 3, replaceAt(12, "9")),
			wantRejects: []rej{{"line 3", "check_digit"}},
			wantEvents:  []string{"091000010000002", "091000010000003", "091000010000004", "091000010000005", "091000010000001"},
		},
		{
			name:        "wrong batch count",
			data:        mutate(t, 13, replaceAt(2, "000003")),
			wantRejects: []rej{{"line 13", "batch_count"}},
			wantEvents:  []string{"091000010000001", "091000010000002", "091000010000003", "091000010000004", "091000010000005", "091000010000001"},
		},
		{
			name:        "wrong entry hash in a batch control",
			data:        mutate(t, 8, replaceAt(11, "0000000001")),
			wantRejects: []rej{{"line 8", "entry_hash"}},
			wantEvents:  []string{"091000010000001", "091000010000002", "091000010000003", "091000010000004", "091000010000005", "091000010000001"},
		},
		{
			name:        "unknown transaction code",
			data:        mutate(t, 5, replaceAt(2, "25")),
			wantRejects: []rej{{"line 5", "transaction_code"}},
			wantEvents:  []string{"091000010000001", "091000010000002", "091000010000004", "091000010000005", "091000010000001"},
		},
		{
			name:        "repeated trace number",
			data:        mutate(t, 4, replaceAt(80, "091000010000001")),
			wantRejects: []rej{{"line 4", "trace_number"}},
			wantEvents:  []string{"091000010000001", "091000010000003", "091000010000004", "091000010000005", "091000010000001"},
		},
		{
			name:        "non-ASCII byte",
			data:        mutate(t, 6, replaceAt(60, "\xc3")),
			wantRejects: []rej{{"line 6", "record"}, {"line 8", "entry_hash"}, {"line 8", "total_credit_amount"}, {"line 13", "entry_hash"}, {"line 13", "total_credit_amount"}},
			wantEvents:  []string{"091000010000001", "091000010000002", "091000010000003", "091000010000005", "091000010000001"},
		},
		{
			name:        "bad effective date rejects the batch's entries",
			data:        mutate(t, 9, replaceAt(70, "261340")),
			wantRejects: []rej{{"line 9", "effective_entry_date"}, {"line 10", "batch_header"}},
			wantEvents:  []string{"091000010000001", "091000010000002", "091000010000003", "091000010000004", "091000010000005"},
		},
		{
			name:        "batch control missing",
			data:        mutate(t, 8, func(string) string { return "" }),
			wantRejects: []rej{{"line 2", "record_type"}},
			wantEvents:  []string{"091000010000001", "091000010000002", "091000010000003", "091000010000004", "091000010000005", "091000010000001"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rejects []rej
			var traces []string
			for _, r := range parse(t, tc.data, "broken.ach") {
				if r.Reject != nil {
					rejects = append(rejects, rej{r.Reject.Record, r.Reject.Field})
				}
				if r.Event != nil {
					id := r.Event.SourceEventID
					traces = append(traces, id[strings.LastIndexByte(id, ':')+1:])
				}
			}
			if diff := cmp.Diff(tc.wantRejects, rejects); diff != "" {
				t.Errorf("rejects (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantEvents, traces); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEntryMapping(t *testing.T) {
	data, err := os.ReadFile("testdata/ppd-payroll.ach")
	if err != nil {
		t.Fatal(err)
	}
	opts := options(t, "x")
	acct := func(routing, account string) string {
		d, err := opts.Digest.BankAccount(routing, account)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	var events []*molehunt.Event
	for _, r := range parse(t, data, "ppd-payroll.ach") {
		if r.Event != nil {
			events = append(events, r.Event)
		}
	}
	tests := []struct {
		name      string
		i         int
		payee     string
		routing   string
		digest    string
		amount    int64
		direction string
		purpose   string
	}{
		{"checking credit", 0, "SMITH, JORDAN A", "072000805", acct("072000805", "4412038817"), 412533, "credit", "live"},
		{"savings credit at a money-service bank", 1, "ALEX KIM", "084009519", acct("084009519", "8310072201"), 398760, "credit", "live"},
		{"prenote of a new account", 2, "MARIA GARCIA", "021000021", acct("021000021", "000123456789"), 0, "credit", "prenote"},
		{"account with dashes", 3, "DANIEL O'BRIEN", "121000358", acct("121000358", "99128344"), 285011, "credit", "live"},
		{"offsetting debit is negative", 4, "ACME WIDGETS INC", "091000019", acct("091000019", "1000458821"), -1096304, "debit", "live"},
		{"CCD receiving company", 5, "BLUE RIVER DEV LLC", "026009593", acct("026009593", "70120033"), 850000, "credit", "live"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := events[tc.i]
			p := ev.Payment
			if p.PayeeName != tc.payee || p.Routing != tc.routing || p.AccountDigest != tc.digest || p.AmountMinor != tc.amount {
				t.Errorf("payment %+v; want payee %q routing %s digest %s amount %d", *p, tc.payee, tc.routing, tc.digest, tc.amount)
			}
			if len(ev.Actor) != 1 || ev.Actor[0] != (molehunt.Identifier{Kind: molehunt.IDBankAccount, Value: tc.digest}) {
				t.Errorf("actor %v; want the account digest", ev.Actor)
			}
			var raw struct {
				Entry map[string]string `json:"entry"`
			}
			if err := json.Unmarshal(ev.Raw, &raw); err != nil {
				t.Fatal(err)
			}
			if raw.Entry["direction"] != tc.direction || raw.Entry["purpose"] != tc.purpose {
				t.Errorf("raw entry %v; want direction %s purpose %s", raw.Entry, tc.direction, tc.purpose)
			}
		})
	}
}

// TestUnbrokenFile reads the same file written without line breaks.
func TestUnbrokenFile(t *testing.T) {
	data, err := os.ReadFile("testdata/ppd-payroll.ach")
	if err != nil {
		t.Fatal(err)
	}
	lines := parse(t, data, "f")
	flat := parse(t, bytes.ReplaceAll(data, []byte("\n"), nil), "f")
	if diff := cmp.Diff(lines, flat); diff != "" {
		t.Errorf("unbroken file differs (-lines +unbroken):\n%s", diff)
	}
	crlf := parse(t, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")), "f")
	if diff := cmp.Diff(lines, crlf); diff != "" {
		t.Errorf("CRLF file differs (-LF +CRLF):\n%s", diff)
	}
}

func TestNoDigester(t *testing.T) {
	err := nacha.New().Parse(context.Background(), strings.NewReader(""), ingest.Options{}, func(ingest.Record) error { return nil })
	if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("Parse without a digester: %v; want EInvalid", err)
	}
}

func TestEmitErrorStops(t *testing.T) {
	data, err := os.ReadFile("testdata/ppd-payroll.ach")
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err = nacha.New().Parse(context.Background(), bytes.NewReader(data), options(t, "f"), func(ingest.Record) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Parse = %v after %d records; want the emit error after 1", err, n)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/ppd-payroll.ach"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Add([]byte("101 091000019"))
	f.Add([]byte("5\n6\n7\n8\n9\n"))
	opts := options(f, "fuzz.ach")
	f.Fuzz(func(t *testing.T, data []byte) {
		err := nacha.New().Parse(context.Background(), bytes.NewReader(data), opts, func(r ingest.Record) error {
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
			t.Fatalf("Parse returned %v on in-memory input", err)
		}
	})
}
