package canonical_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/canonical"
	"molehunt/internal/testdata"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func options(t testing.TB) ingest.Options {
	t.Helper()
	key, err := ident.NewKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	d := ident.NewDigester(key)
	return ingest.Options{File: "test", Digest: d, Canon: &ident.Canonicalizer{Digester: d, DefaultRegion: "US"}}
}

type record struct {
	Subject *molehunt.Subject `json:"subject,omitempty"`
	Event   *molehunt.Event   `json:"event,omitempty"`
	Reject  *molehunt.Reject  `json:"reject,omitempty"`
}

func parse(t testing.TB, p ingest.Parser, data string) []record {
	t.Helper()
	var out []record
	err := p.Parse(context.Background(), strings.NewReader(data), options(t), func(r ingest.Record) error {
		if r.Event != nil {
			if err := r.Event.Validate(); err != nil {
				t.Errorf("emitted event does not validate: %v", err)
			}
		}
		if r.Subject != nil {
			if err := r.Subject.Validate(); err != nil {
				t.Errorf("emitted subject does not validate: %v", err)
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

func golden(t *testing.T, path string, got []record) {
	t.Helper()
	b, _ := json.MarshalIndent(got, "", "  ")
	b = append(b, '\n')
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
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		p    ingest.Parser
	}{
		{"testdata/org.jsonl", canonical.New()},
		{"testdata/subjects.csv", canonical.NewSubjectCSV()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			got := parse(t, tc.p, string(data))
			for _, r := range got {
				if r.Reject != nil {
					t.Errorf("unexpected reject %+v", *r.Reject)
				}
			}
			golden(t, strings.TrimSuffix(tc.file, filepath.Ext(tc.file))+".golden.json", got)
			b, _ := json.Marshal(got)
			for _, secret := range []string{"5512093321", "A1234-5678", "A12345678", "DE89370400440532013000", "0532 0130"} {
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("number %s kept in clear", secret)
				}
			}
		})
	}
}

func TestIdentifierForms(t *testing.T) {
	opts := options(t)
	acct, _ := opts.Digest.BankAccount("072000805", "5512093321")
	line := `{"type":"subject","id":"s1","role":"payee","names":[{"full":"X"}],"identifiers":[` +
		`"email:A.B+x@gmail.com",{"kind":"email","value":"ab@gmail.com"},"bank_account:072000805:5512093321",` +
		`{"kind":"bank_account","value":"` + acct + `"},"phone:+1 217 555 0142"]}`
	got := parse(t, canonical.New(), line)
	want := []molehunt.Identifier{
		{Kind: molehunt.IDEmail, Value: "ab@gmail.com"},
		{Kind: molehunt.IDBankAccount, Value: acct},
		{Kind: molehunt.IDPhone, Value: "+12175550142"},
	}
	if got[0].Subject == nil {
		t.Fatalf("got %+v", got[0])
	}
	if diff := cmp.Diff(want, got[0].Subject.Identifiers); diff != "" {
		t.Errorf("identifiers (-want +got):\n%s", diff)
	}
}

func TestRejects(t *testing.T) {
	type rej struct{ Record, Field string }
	tests := []struct {
		name string
		p    ingest.Parser
		in   string
		want []rej
		n    int // records emitted that are not rejects
	}{
		{"JSONL: bad lines in the middle", canonical.New(),
			`{"type":"subject","id":"a","role":"employee","names":[{"full":"A"}]}` + "\n" +
				`{"type":"subject","id":"b","role":"boss","names":[{"full":"B"}]}` + "\n" +
				`{"type":"subject","id":"c","role":"employee","names":[{"full":"C"}],"nationality":"KP"}` + "\n" +
				`{"type":"event","kind":"payment","source_event_id":"p1","time":"2026-01-01T00:00:00Z","payment":{"amount_minor":1,"account_digest":"021000021:12345"}}` + "\n" +
				`{"type":"event","kind":"payment","source_event_id":"p2","time":"2026-01-01T00:00:00Z","actor":["email:not an email"],"payment":{"amount_minor":1}}` + "\n" +
				`{"type":"thing"}` + "\n" +
				`not json` + "\n" +
				`{"type":"event","kind":"hr_change","source_event_id":"h1","time":"yesterday","hr_change":{"field":"title"}}` + "\n" +
				`{"type":"event","kind":"payment","source_event_id":"p3","time":"2026-01-01T00:00:00Z","payment":{"amount_minor":1}}` + "\n",
			[]rej{{"line 2", "role"}, {"line 3", "nationality"}, {"line 4", "payment.account_digest"}, {"line 5", "actor"}, {"line 6", "type"}, {"line 7", ""}, {"line 8", ""}},
			2},
		{"CSV: bad rows in the middle", canonical.NewSubjectCSV(),
			"id,role,name,emails,routing_number,account_number,hire_date\n" +
				"a,employee,A,a@example.com,,,2026-01-01\n" +
				"b,employee,B,b@example.com,072000806,123,2026-01-01\n" +
				"c,employee,,c@example.com,,,2026-01-01\n" +
				"d,employee,D,d@example.com,,,01/02/2026\n" +
				"e,employee,E,e@example.com,,,2026-01-01\n",
			[]rej{{"line 3", "account_number"}, {"line 4", "names"}, {"line 5", "hire_date"}},
			2},
		{"CSV: unknown column", canonical.NewSubjectCSV(), "id,role,name,nationality\n", []rej{{"line 1", "nationality"}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rejects []rej
			n := 0
			for _, r := range parse(t, tc.p, tc.in) {
				if r.Reject != nil {
					rejects = append(rejects, rej{r.Reject.Record, r.Reject.Field})
					if strings.Contains(r.Reject.Reason, "123") {
						t.Errorf("reject reason echoes an account number: %q", r.Reject.Reason)
					}
				} else {
					n++
				}
			}
			if diff := cmp.Diff(tc.want, rejects); diff != "" {
				t.Errorf("rejects (-want +got):\n%s", diff)
			}
			if n != tc.n {
				t.Errorf("%d records; want %d", n, tc.n)
			}
		})
	}
}

// compileSchemas loads docs/schema/*.schema.json from the module root.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	dir := filepath.Join(testdata.ModuleRoot(t), "docs", "schema")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := map[string]*jsonschema.Schema{}
	for _, typ := range []string{"subject", "event"} {
		path := filepath.Join(dir, typ+".schema.json")
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := c.AddResource(path, doc); err != nil {
			t.Fatal(err)
		}
		s, err := c.Compile(path)
		if err != nil {
			t.Fatalf("compile %s: %v", path, err)
		}
		out[typ] = s
	}
	return out
}

func validateLine(t *testing.T, schemas map[string]*jsonschema.Schema, where string, line []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	m, _ := v.(map[string]any)
	typ, _ := m["type"].(string)
	s := schemas[typ]
	if s == nil {
		t.Fatalf("%s: no schema for type %q", where, typ)
	}
	return s.Validate(v)
}

// TestSchemas validates every testdata JSONL line, and every subject and
// event the golden files hold (as lines), against docs/schema.
func TestSchemas(t *testing.T) {
	schemas := compileSchemas(t)
	inputs, _ := filepath.Glob("testdata/*.jsonl")
	for _, f := range inputs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, canonical.MaxLineLen)
		for n := 1; sc.Scan(); n++ {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			if err := validateLine(t, schemas, f, sc.Bytes()); err != nil {
				t.Errorf("%s line %d: %v", f, n, err)
			}
		}
	}
	goldens, _ := filepath.Glob("testdata/*.golden.json")
	for _, f := range goldens {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var recs []map[string]json.RawMessage
		if err := json.Unmarshal(data, &recs); err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			for typ, body := range map[string]json.RawMessage{"subject": r["subject"], "event": r["event"]} {
				if body == nil {
					continue
				}
				var m map[string]any
				_ = json.Unmarshal(body, &m)
				m["type"] = typ
				line, _ := json.Marshal(m)
				if err := validateLine(t, schemas, f, line); err != nil {
					t.Errorf("%s record %d: %v", f, i, err)
				}
			}
		}
	}
	// The schemas must refuse what the parser refuses.
	for _, bad := range []string{
		`{"type":"subject","id":"x","role":"boss","names":[{"full":"X"}]}`,
		`{"type":"subject","id":"x","role":"employee","names":[]}`,
		`{"type":"subject","id":"x","role":"employee","names":[{"full":"X"}],"nationality":"KP"}`,
		`{"type":"event","kind":"payment","source_event_id":"p","time":"2026-01-01T00:00:00Z"}`,
		`{"type":"event","kind":"payment","source_event_id":"p","time":"2026-01-01T00:00:00Z","payment":{"amount_minor":1},"auth":{}}`,
		`{"type":"event","kind":"payment","source_event_id":"p","time":"yesterday","payment":{"amount_minor":1}}`,
		`{"type":"event","kind":"payment","source_event_id":"p","time":"2026-01-01T00:00:00Z","payment":{"amount_minor":1,"account_digest":"021000021:12345"}}`,
		`{"type":"event","kind":"payment","source_event_id":"p","time":"2026-01-01T00:00:00Z","actor":["shoe_size:42"],"payment":{"amount_minor":1}}`,
	} {
		if err := validateLine(t, schemas, "bad", []byte(bad)); err == nil {
			t.Errorf("schema accepts %s", bad)
		}
	}
}

// TestFormatsDocEmbedsSchemas keeps docs/formats.md's code blocks equal to
// the schema files.
func TestFormatsDocEmbedsSchemas(t *testing.T) {
	root := testdata.ModuleRoot(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "formats.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"subject.schema.json", "event.schema.json"} {
		schema, err := os.ReadFile(filepath.Join(root, "docs", "schema", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(doc, append([]byte("```json\n"), schema...)) {
			t.Errorf("docs/formats.md does not embed docs/schema/%s as it is", name)
		}
	}
}

func FuzzJSONL(f *testing.F) {
	data, err := os.ReadFile("testdata/org.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range bytes.Split(data, []byte("\n")) {
		f.Add(l)
	}
	fuzz(f, canonical.New())
}

func FuzzSubjectCSV(f *testing.F) {
	data, err := os.ReadFile("testdata/subjects.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	fuzz(f, canonical.NewSubjectCSV())
}

func fuzz(f *testing.F, p ingest.Parser) {
	opts := options(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		err := p.Parse(context.Background(), bytes.NewReader(data), opts, func(r ingest.Record) error {
			if r.Event != nil {
				if err := r.Event.Validate(); err != nil {
					t.Fatalf("event does not validate: %v", err)
				}
			}
			if r.Subject != nil {
				if err := r.Subject.Validate(); err != nil {
					t.Fatalf("subject does not validate: %v", err)
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
