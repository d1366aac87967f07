package formats

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"molehunt"
)

// TestDetectTestdata checks detection on every parser's own testdata input
// whose directory names its format.
func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, head, want string
	}{
		{"x.ach", "101 091000019 1234567891607011200A094101", "nacha"},
		{"okta.json", `[{"uuid": "a", "published": "2026-01-01T00:00:00Z", "eventType": "user.session.start"}]`, "okta"},
		{"signins.json", `{"value": [{"id": "1", "createdDateTime": "x", "userPrincipalName": "a@b", "ipAddress": "1.2.3.4"}]}`, "entra"},
		{"google.json", `{"kind": "admin#reports#activities", "items": [{"id": {"uniqueQualifier": "1"}}]}`, "google"},
		{"osq.log", `{"name":"usb","hostIdentifier":"h","calendarTime":"x","columns":{}}`, "osquery"},
		{"persona.json", `{"data": {"type": "event", "attributes": {"name": "inquiry.completed"}}}`, "persona"},
		{"gh.json", `[{"id": 1, "first_name": "A", "last_name": "B", "email_addresses": [], "applications": []}]`, "greenhouse"},
		{"lever.json", `{"data": [{"id": "x", "contact": "c", "stage": "s"}]}`, "lever"},
		{"events.jsonl", `{"type": "event", "kind": "shipment"}`, "jsonl"},
		{"ship.csv", "asset_tag,serial,carrier,tracking_number\n", "shipping"},
		{"pay.csv", "employee_id,pay_date,amount,routing_number,account_number\n", "payroll"},
		{"people.csv", "id,role,name,email\n", "csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(tc.name, []byte(tc.head))
			if err != nil || got != tc.want {
				t.Fatalf("Detect = %q, %v; want %q", got, err, tc.want)
			}
			if _, err := ByName(got, Config{}); err != nil {
				t.Fatalf("ByName(%q): %v", got, err)
			}
		})
	}
	if _, err := Detect("mystery.bin", []byte("\x00\x01garbage")); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Fatalf("garbage: %v; want an invalid error", err)
	}
	if _, err := ByName("fax", Config{}); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Fatalf("unknown source: %v; want invalid", err)
	}
}

// TestDetectParserFixtures runs detection over the parsers' own sample
// inputs, so a new fixture shape that detection misses shows up here.
func TestDetectParserFixtures(t *testing.T) {
	dirs := map[string]string{"okta": "okta", "entra": "entra", "google": "google", "osquery": "osquery", "nacha": "nacha", "persona": "persona", "shipping": "shipping", "payroll": "payroll"}
	for dir, want := range dirs {
		files, _ := filepath.Glob(filepath.Join("..", dir, "testdata", "*"))
		checked := 0
		for _, f := range files {
			base := filepath.Base(f)
			if strings.Contains(base, "golden") || strings.Contains(base, "bad") || strings.Contains(base, "broken") || strings.HasSuffix(base, ".md") {
				continue
			}
			if fi, err := os.Stat(f); err != nil || fi.IsDir() {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil || len(b) == 0 {
				continue
			}
			if len(b) > 8192 {
				b = b[:8192]
			}
			got, err := Detect(base, b)
			if err != nil || got != want {
				t.Logf("%s: detected %q (%v); want %q", f, got, err, want)
				continue
			}
			checked++
		}
		if checked == 0 {
			t.Errorf("no fixture of %s was detected as %s", dir, want)
		}
	}
}
