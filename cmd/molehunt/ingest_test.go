package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testCandidates = `[{"id": 900001, "first_name": "Dana", "last_name": "Reyes",
  "email_addresses": [{"value": "dana.reyes@example.org", "type": "personal"}],
  "phone_numbers": [{"value": "+1 415 555 0134", "type": "mobile"}],
  "applications": [{"id": 5001, "status": "active", "applied_at": "2026-02-01T10:00:00Z"}]}]`

const testOkta = `{"uuid": "a1", "published": "2026-03-02T15:04:05.000Z", "eventType": "user.session.start", "actor": {"id": "00u1", "type": "User", "alternateId": "dana.reyes@example.org", "displayName": "Dana Reyes"}, "client": {"ipAddress": "73.15.20.9", "userAgent": {"rawUserAgent": "Mozilla/5.0"}}, "outcome": {"result": "SUCCESS"}}
{"uuid": "a2", "published": "2026-03-02T16:04:05.000Z", "eventType": "user.session.start", "actor": {"id": "00u2", "type": "User", "alternateId": "nobody@example.org"}, "client": {"ipAddress": "73.15.20.10"}, "outcome": {"result": "FAILURE"}}
{"uuid": "a3", "published": "not a time", "eventType": "user.session.start", "actor": {"alternateId": "dana.reyes@example.org"}, "outcome": {"result": "SUCCESS"}}
`

func TestIngestIdempotentWithRejectsAndResolution(t *testing.T) {
	data, in := t.TempDir(), t.TempDir()
	// Events first, subjects after: resolution must catch up at the end.
	os.WriteFile(filepath.Join(in, "a-okta.ndjson"), []byte(testOkta), 0o644)
	os.WriteFile(filepath.Join(in, "b-candidates.json"), []byte(testCandidates), 0o644)
	os.WriteFile(filepath.Join(in, "notes.txt"), []byte("not an export"), 0o644)

	code, out, stderr := run(t, "", "ingest", "--data", data, "--json", "--source", "auto", in)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	var first ingestSummary
	if err := json.Unmarshal([]byte(out), &first); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if first.Accepted < 2 || first.Subjects != 1 || first.Rejected < 1 || first.Resolved < 1 || first.Unresolved < 1 {
		t.Fatalf("first run %+v; want ≥2 events, 1 subject, a reject, a late resolution and an unresolved event", first)
	}
	if !strings.Contains(stderr, "skipped") {
		t.Errorf("stderr %q; want the unknown file reported as skipped", stderr)
	}
	var sawField bool
	for _, r := range first.Rejects {
		if r.Field != "" && r.Record != "" {
			sawField = true
		}
	}
	if !sawField {
		t.Errorf("rejects %+v; want record and field named", first.Rejects)
	}

	code, out, _ = run(t, "", "ingest", "--data", data, "--json", in)
	if code != exitOK {
		t.Fatalf("second run exit %d", code)
	}
	var second ingestSummary
	json.Unmarshal([]byte(out), &second)
	if second.Accepted != 0 || second.Duplicates != first.Accepted {
		t.Fatalf("second run %+v; want every event absorbed as a duplicate (%d)", second, first.Accepted)
	}

	if code, _, _ := run(t, "", "ingest", "--data", data, "--strict", in); code != exitError {
		t.Errorf("--strict with rejects: exit %d; want 1", code)
	}
	if code, _, _ := run(t, "", "ingest", "--data", data, "--source", "fax", in); code != exitUsage {
		t.Errorf("unknown --source: exit %d; want 2", code)
	}
	if code, _, _ := run(t, "", "ingest", "--data", data, "-"); code != exitUsage {
		t.Errorf("stdin without --source: exit %d; want 2", code)
	}
}
