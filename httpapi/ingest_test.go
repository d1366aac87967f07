package httpapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"molehunt"
	"molehunt/httpapi"
	"molehunt/ident"
	"molehunt/sqlite"
)

const oktaBody = `{"uuid": "h1", "published": "2026-03-02T15:04:05.000Z", "eventType": "user.session.start", "actor": {"id": "00u1", "type": "User", "alternateId": "dana.reyes@example.org"}, "client": {"ipAddress": "73.15.20.9"}, "outcome": {"result": "SUCCESS"}}
{"uuid": "h2", "published": "2026-03-02T16:04:05.000Z", "eventType": "user.session.start", "actor": {"id": "00u2", "type": "User", "alternateId": "nobody@example.org"}, "client": {"ipAddress": "73.15.20.10"}, "outcome": {"result": "FAILURE"}}
{"uuid": "h3", "published": "not a time", "eventType": "user.session.start", "actor": {"alternateId": "dana.reyes@example.org"}, "outcome": {"result": "SUCCESS"}}
`

const subjectsBody = `{"type":"subject","id":"emp-dana","role":"employee","names":[{"full":"Dana Reyes","kind":"primary"}],"identifiers":["email:dana.reyes@example.org"]}
`

// ingestServer serves the API over a fresh SQLite store.
func ingestServer(t *testing.T, cfg func(*httpapi.Server)) (*httptest.Server, molehunt.Store) {
	t.Helper()
	store, err := sqlite.Open(t.Context(), t.TempDir(), sqlite.Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	key, err := ident.NewKey(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	d := ident.NewDigester(key)
	s := &httpapi.Server{}
	s.Ingest = &httpapi.IngestConfig{Store: store, Digest: d, Canon: &ident.Canonicalizer{Digester: d, DefaultRegion: "US"}, MaxBytes: 64 << 10, BatchSize: 2}
	if cfg != nil {
		cfg(s)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, store
}

type ingestResult struct {
	Run              string            `json:"run"`
	Format           string            `json:"format"`
	Subjects         int               `json:"subjects"`
	Accepted         int               `json:"accepted"`
	Duplicates       int               `json:"duplicates"`
	Rejected         int               `json:"rejected"`
	Rejects          []molehunt.Reject `json:"rejects"`
	RejectsTruncated bool              `json:"rejects_truncated"`
	Unresolved       int               `json:"unresolved"`
	ResolvedLater    int               `json:"resolved_later"`
	Error            struct {
		Code    molehunt.ErrorCode `json:"code"`
		Message string             `json:"message"`
	} `json:"error"`
}

// post sends body to path; chunked hides the length, as a streaming client
// does.
func post(t *testing.T, url, body string, chunked bool) (int, ingestResult) {
	t.Helper()
	var r io.Reader = strings.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // no Len: sent chunked
	}
	resp, err := http.Post(url, "application/x-ndjson", r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var res ingestResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("response %d is not JSON: %v\n%s", resp.StatusCode, err, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q; want JSON", ct)
	}
	return resp.StatusCode, res
}

func TestIngestCommitsAndIsIdempotent(t *testing.T) {
	srv, store := ingestServer(t, nil)
	code, first := post(t, srv.URL+"/v1/ingest/okta?file=okta.ndjson", oktaBody, false)
	if code != http.StatusOK {
		t.Fatalf("status %d: %+v", code, first)
	}
	if first.Accepted != 2 || first.Duplicates != 0 || first.Rejected != 1 || first.Unresolved != 2 || first.Format != "okta" {
		t.Fatalf("first %+v; want 2 accepted, 1 rejected, 2 unresolved", first)
	}
	if len(first.Rejects) != 1 || first.Rejects[0].File != "okta.ndjson" || first.Rejects[0].Record == "" || first.Rejects[0].Field == "" {
		t.Errorf("rejects %+v; want the bad line with file, record and field", first.Rejects)
	}
	// The response came after the commit: the events are readable now.
	if _, err := store.Event(t.Context(), molehunt.EventID(molehunt.SourceOkta, "h1")); err != nil {
		t.Errorf("event h1 after 200: %v", err)
	}
	stored, err := store.Rejects(t.Context(), first.Run)
	if err != nil || len(stored) != 1 {
		t.Errorf("rejects report of %s: %v, %v; want 1", first.Run, stored, err)
	}

	code, again := post(t, srv.URL+"/v1/ingest/auto", oktaBody, true)
	if code != http.StatusOK || again.Accepted != 0 || again.Duplicates != 2 || again.Format != "okta" {
		t.Fatalf("resend: %d %+v; want every event a duplicate, format detected", code, again)
	}

	// Subjects that arrive later claim the events already stored.
	code, subj := post(t, srv.URL+"/v1/ingest/auto?file=people.jsonl", subjectsBody, false)
	if code != http.StatusOK || subj.Subjects != 1 || subj.ResolvedLater != 1 || subj.Format != "jsonl" {
		t.Fatalf("subjects: %d %+v; want 1 subject resolving 1 stored event", code, subj)
	}
}

func TestIngestRejectsListIsCapped(t *testing.T) {
	srv, _ := ingestServer(t, func(s *httpapi.Server) { s.Ingest.MaxListedRejects = 3 })
	var b strings.Builder
	for i := range 7 {
		fmt.Fprintf(&b, "{\"type\":\"event\",\"kind\":\"authentication\",\"source_event_id\":\"x%d\",\"time\":\"yesterday\",\"auth\":{}}\n", i)
	}
	code, res := post(t, srv.URL+"/v1/ingest/jsonl", b.String(), false)
	if code != http.StatusOK || res.Rejected != 7 || len(res.Rejects) != 3 || !res.RejectsTruncated {
		t.Fatalf("%d %+v; want 7 rejected, 3 listed, truncated", code, res)
	}
}

func TestIngestErrors(t *testing.T) {
	big := strings.Repeat(`{"uuid": "b", "published": "2026-03-02T15:04:05.000Z", "eventType": "user.session.start", "actor": {"alternateId": "a@example.org"}, "outcome": {"result": "SUCCESS"}}`+"\n", 1000)
	refuse := func(err error) func(*httpapi.Server) {
		return func(s *httpapi.Server) {
			s.Authorize = func(r *http.Request, action string) error {
				if action != httpapi.ActionIngest {
					return fmt.Errorf("action %q; want %q", action, httpapi.ActionIngest)
				}
				return err
			}
		}
	}
	for _, tc := range []struct {
		name    string
		cfg     func(*httpapi.Server)
		path    string
		body    string
		chunked bool
		status  int
		code    molehunt.ErrorCode
	}{
		{"unknown source", nil, "/v1/ingest/fax", oktaBody, false, 400, molehunt.EInvalid},
		{"undetectable content", nil, "/v1/ingest/auto", "\x00\x01 what is this", false, 400, molehunt.EInvalid},
		{"empty body auto", nil, "/v1/ingest/auto", "", false, 400, molehunt.EInvalid},
		{"too large, length known", nil, "/v1/ingest/okta", big, false, 413, molehunt.ETooLarge},
		{"too large, streamed", nil, "/v1/ingest/okta", big, true, 413, molehunt.ETooLarge},
		{"too large, streamed, auto", nil, "/v1/ingest/auto", big, true, 413, molehunt.ETooLarge},
		{"no store", func(s *httpapi.Server) { s.Ingest = nil }, "/v1/ingest/okta", oktaBody, false, 503, molehunt.EUnavailable},
		{"nil store", func(s *httpapi.Server) { s.Ingest.Store = nil }, "/v1/ingest/okta", oktaBody, false, 503, molehunt.EUnavailable},
		{"unauthenticated", refuse(molehunt.Errorf(molehunt.EUnauthorized, "auth", "no credentials")), "/v1/ingest/okta", oktaBody, false, 401, molehunt.EUnauthorized},
		{"forbidden", refuse(molehunt.Errorf(molehunt.EForbidden, "auth", "may not ingest")), "/v1/ingest/okta", oktaBody, false, 403, molehunt.EForbidden},
		{"authorizer broken fails closed", refuse(errors.New("token service down")), "/v1/ingest/okta", oktaBody, false, 500, molehunt.EInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, store := ingestServer(t, tc.cfg)
			code, res := post(t, srv.URL+tc.path, tc.body, tc.chunked)
			if code != tc.status || res.Error.Code != tc.code {
				t.Fatalf("%d %q (%s); want %d %q", code, res.Error.Code, res.Error.Message, tc.status, tc.code)
			}
			if tc.status == 401 || tc.status == 403 || tc.status == 500 {
				if _, err := store.Event(t.Context(), molehunt.EventID(molehunt.SourceOkta, "h1")); molehunt.ErrorCodeOf(err) != molehunt.ENotFound {
					t.Errorf("a refused request stored events: %v", err)
				}
			}
		})
	}
}

func TestIngestAllowedByAuthorizer(t *testing.T) {
	var asked []string
	srv, _ := ingestServer(t, func(s *httpapi.Server) {
		s.Authorize = func(r *http.Request, action string) error {
			asked = append(asked, action)
			return nil
		}
	})
	if code, res := post(t, srv.URL+"/v1/ingest/okta", oktaBody, false); code != 200 || res.Accepted != 2 {
		t.Fatalf("%d %+v", code, res)
	}
	if len(asked) != 1 || asked[0] != httpapi.ActionIngest {
		t.Errorf("Authorize asked %q; want once for %q", asked, httpapi.ActionIngest)
	}
}
