package payroll_test

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
	"molehunt/ingest/payroll"
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

func parse(t testing.TB, p *payroll.Parser, data string) []record {
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
			got := parse(t, payroll.New(payroll.Config{}), string(data))
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
			for _, acct := range []string{"4412038817", "8310072201", "P-77120455", "DE89370400440532013000", "5512093321", "GB82WEST12345698765432"} {
				if bytes.Contains(b, []byte(acct)) {
					t.Errorf("account number %s appears in the output", acct)
				}
			}
		})
	}
}

func TestPaymentFields(t *testing.T) {
	opts := options(t)
	dg := func(routing, account string) string {
		v, err := opts.Digest.BankAccount(routing, account)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		csv      string
		want     molehunt.PaymentDetail
		wantTime string
		method   string
		provider string
	}{
		{
			name:     "direct deposit, US date, thousands separator",
			csv:      "employee_id,pay_date,amount,currency,payment_method,account_holder,aba,account_number\nE1,03/04/2026,\"1,234.50\",usd,DD,Jo Doe,072000805,123\n",
			want:     molehunt.PaymentDetail{PayeeName: "Jo Doe", AccountDigest: dg("072000805", "123"), Routing: "072000805", AmountMinor: 123450, Currency: "USD", Rail: molehunt.RailACH},
			wantTime: "2026-03-04T00:00:00Z", method: "direct_deposit",
		},
		{
			name:     "money service without routing uses the provider as namespace",
			csv:      "Employee ID,Payment Date,Amount,Payment Method,Account Number\nE1,2026-03-04,10,Wise,4400\n",
			want:     molehunt.PaymentDetail{AccountDigest: dg("wise", "4400"), AmountMinor: 1000, Rail: molehunt.RailOther},
			wantTime: "2026-03-04T00:00:00Z", method: "money_service", provider: "wise",
		},
		{
			name:     "bank name naming a money service",
			csv:      "employee_id,pay_date,amount,payment_method,bank_name,routing_number,account_number\nE1,2026-03-04,(5.00),direct deposit,Payoneer Inc,021000021,99\n",
			want:     molehunt.PaymentDetail{AccountDigest: dg("021000021", "99"), Routing: "021000021", AmountMinor: -500, Rail: molehunt.RailACH},
			wantTime: "2026-03-04T00:00:00Z", method: "money_service", provider: "payoneer",
		},
		{
			name:     "yen has no minor unit",
			csv:      "employee_id,pay_date,amount,currency\nE1,2026-03-04T09:00:00+09:00,300000,JPY\n",
			want:     molehunt.PaymentDetail{AmountMinor: 300000, Currency: "JPY"},
			wantTime: "2026-03-04T00:00:00Z",
		},
		{
			name:     "crypto asset in 1e-8 units",
			csv:      "employee_id,pay_date,amount,currency,payment_method,wallet_address\nE1,2026-03-04,0.015,BTC,Bitcoin,bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\n",
			want:     molehunt.PaymentDetail{AmountMinor: 1500000, Rail: molehunt.RailCrypto},
			wantTime: "2026-03-04T00:00:00Z", method: "crypto",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := parse(t, payroll.New(payroll.Config{}), tc.csv)
			if len(got) != 1 || got[0].Event == nil {
				t.Fatalf("got %+v; want one event", got)
			}
			ev := got[0].Event
			if diff := cmp.Diff(tc.want, *ev.Payment); diff != "" {
				t.Errorf("payment (-want +got):\n%s", diff)
			}
			if ts := ev.Time.Format("2006-01-02T15:04:05Z07:00"); ts != tc.wantTime {
				t.Errorf("time %s; want %s", ts, tc.wantTime)
			}
			var raw struct{ Method, Provider string }
			_ = json.Unmarshal(ev.Raw, &raw)
			if raw.Method != tc.method || raw.Provider != tc.provider {
				t.Errorf("raw method %q provider %q; want %q %q", raw.Method, raw.Provider, tc.method, tc.provider)
			}
		})
	}
}

func TestDayFirst(t *testing.T) {
	got := parse(t, payroll.New(payroll.Config{DayFirst: true, Namespace: "sage"}), "employee_id,pay_date,amount,currency\nE1,03/04/2026,1.00,GBP\n")
	if ev := got[0].Event; ev == nil || ev.Time.Month() != 4 || !strings.HasPrefix(ev.SourceEventID, "sage/payment:row:") {
		t.Errorf("got %+v; want 3 April and a namespaced id", got[0])
	}
}

func TestRowHashStable(t *testing.T) {
	a := parse(t, payroll.New(payroll.Config{}), "Employee ID,Pay Date,Amount\nE1,2026-01-02,5\n")
	b := parse(t, payroll.New(payroll.Config{}), "employee_id , pay_date,amount,\nE1, 2026-01-02 ,5,\n")
	c := parse(t, payroll.New(payroll.Config{}), "Employee ID,Pay Date,Amount\nE1,2026-01-02,6\n")
	if a[0].Event.SourceEventID != b[0].Event.SourceEventID {
		t.Errorf("same row, different spelling: %s vs %s", a[0].Event.SourceEventID, b[0].Event.SourceEventID)
	}
	if a[0].Event.SourceEventID == c[0].Event.SourceEventID {
		t.Errorf("different rows share id %s", a[0].Event.SourceEventID)
	}
}

func TestRejects(t *testing.T) {
	type rej struct{ Record, Field string }
	head := "Payment ID,Employee ID,Check Date,Net Pay,Currency,Routing Number,Account Number,IBAN\n"
	tests := []struct {
		name    string
		csv     string
		want    []rej
		wantIDs []string
	}{
		{
			name: "bad rows in the middle",
			csv: head +
				"P1,E1,2026-10-30,10.00,USD,072000805,1,\n" +
				"P2,E2,2026-13-30,10.00,USD,072000805,2,\n" +
				"P3,E3,2026-10-30,10.001,USD,072000805,3,\n" +
				"P4,E4,2026-10-30,10.00,USD,072000806,4,\n" +
				"P5,E5,2026-10-30,10.00,US$,072000805,5,\n" +
				"P6,E6,2026-10-30,10.00,EUR,,,DE89370400440532013001\n" +
				"P7,E7,2026-10-30,10.00,USD,072000805,7\n" +
				"P8,E8,2026-10-30,10.00,USD,072000805,8,\n",
			want: []rej{
				{"line 3", "Check Date"}, {"line 4", "Net Pay"}, {"line 5", "Routing Number"},
				{"line 6", "Currency"}, {"line 7", "IBAN"}, {"line 8", ""},
			},
			wantIDs: []string{"payment:P1", "payment:P8"},
		},
		{
			name: "unknown record type",
			csv:  "record_type,employee_id,pay_date,amount\nbonus,E1,2026-01-01,1\npayment,E2,2026-01-01,1\n",
			want: []rej{{"line 2", "record_type"}}, wantIDs: []string{"payment:row:"},
		},
		{
			name: "header that says nothing",
			csv:  "foo,bar\n1,2\n",
			want: []rej{{"line 1", ""}},
		},
		{
			name: "two columns for one field",
			csv:  "aba,routing_number,amount\n",
			want: []rej{{"line 1", "routing_number"}},
		},
		{
			name: "bank change without any account",
			csv:  "change_id,employee_id,changed_at,old_account_number,new_account_number\nC1,E1,2026-01-01,,\n",
			want: []rej{{"line 2", "new_account_number"}},
		},
		{
			name: "bad quote",
			csv:  head + "P1,E1,2026-10-30,10.00,USD,072000805,1,\n\"P2,E2\"x,2026-10-30\nP3,E3,2026-10-30,10.00,USD,072000805,3,\n",
			want: []rej{{"line 3", ""}}, wantIDs: []string{"payment:P1", "payment:P3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rejects []rej
			var ids []string
			for _, r := range parse(t, payroll.New(payroll.Config{}), tc.csv) {
				if r.Reject != nil {
					rejects = append(rejects, rej{r.Reject.Record, r.Reject.Field})
				}
				if r.Event != nil {
					id := r.Event.SourceEventID
					if i := strings.Index(id, "row:"); i >= 0 {
						id = id[:i+4]
					}
					ids = append(ids, id)
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

func TestNoDigester(t *testing.T) {
	err := payroll.New(payroll.Config{}).Parse(context.Background(), strings.NewReader(""), ingest.Options{}, func(ingest.Record) error { return nil })
	if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("got %v; want EInvalid", err)
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
	f.Add([]byte("record_type,amount\n\"x\n"))
	opts := options(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		err := payroll.New(payroll.Config{}).Parse(context.Background(), bytes.NewReader(data), opts, func(r ingest.Record) error {
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
