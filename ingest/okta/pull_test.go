package okta

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"molehunt"
	"molehunt/ingest"
)

func logEventJSON(uuid string) string {
	return fmt.Sprintf(`{"uuid":%q,"published":"2026-05-01T10:00:00.000Z","eventType":"user.session.start",
"actor":{"type":"User","alternateId":"dev@example.com"},"client":{"ipAddress":"192.0.2.1"},"outcome":{"result":"SUCCESS"}}`, uuid)
}

// oktaServer serves System Log pages: page 1 (2 events) links to page 2,
// which first answers 429, then 500, then 1 event and a skipped event
// linking to page 3, an empty polling page that links to itself.
type oktaServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string // "path?query auth"
	hits     map[string]int
	date     time.Time
	resetIn  time.Duration // X-Rate-Limit-Reset minus Date
}

func newOktaServer(t *testing.T) *oktaServer {
	s := &oktaServer{hits: map[string]int{}, date: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), resetIn: 7 * time.Second}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests = append(s.requests, r.URL.RequestURI()+" "+r.Header.Get("Authorization"))
		after := r.URL.Query().Get("after")
		s.hits[after]++
		w.Header().Set("Date", s.date.Format(http.TimeFormat))
		link := func(after string) {
			w.Header().Add("Link", `<`+s.URL+`/api/v1/logs?limit=2&after=`+after+`>; rel="self"`)
			w.Header().Add("Link", `<`+s.URL+`/api/v1/logs?limit=2&after=`+after+`>; rel="next"`)
		}
		switch after {
		case "":
			link("c1")
			fmt.Fprintf(w, "[%s,%s]", logEventJSON("e1"), logEventJSON("e2"))
		case "c1":
			switch s.hits[after] {
			case 1:
				w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(s.date.Add(s.resetIn).Unix(), 10))
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprint(w, `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}`)
			case 2:
				w.WriteHeader(http.StatusInternalServerError)
			default:
				link("c2")
				fmt.Fprintf(w, `[%s,{"uuid":"x","published":"2026-05-01T10:00:00Z","eventType":"user.lifecycle.create"}]`, logEventJSON("e3"))
			}
		case "c2":
			link("c2")
			fmt.Fprint(w, "[]")
		case "fail":
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func TestPuller(t *testing.T) {
	s := newOktaServer(t)
	var slept []time.Duration
	p := &Puller{
		Client: s.Client(), Limit: 2,
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
	}
	var ids []string
	since := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	err := p.Pull(context.Background(), s.URL+"/", "tok123", since, func(r ingest.Record) error {
		if r.Event == nil {
			t.Errorf("unexpected reject %+v", r.Reject)
			return nil
		}
		ids = append(ids, r.Event.SourceEventID)
		return nil
	})
	if err != nil {
		t.Fatalf("Pull: %v", err)
	}
	if d := cmp.Diff([]string{"e1", "e2", "e3"}, ids); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	// 7 s until X-Rate-Limit-Reset by the server's Date, then the first
	// backoff after the 500.
	if d := cmp.Diff([]time.Duration{7 * time.Second, time.Second}, slept); d != "" {
		t.Errorf("waits (-want +got):\n%s", d)
	}
	wantReqs := []string{
		"/api/v1/logs?limit=2&since=2026-05-01T09%3A00%3A00.000Z SSWS tok123",
		"/api/v1/logs?limit=2&after=c1 SSWS tok123",
		"/api/v1/logs?limit=2&after=c1 SSWS tok123",
		"/api/v1/logs?limit=2&after=c1 SSWS tok123",
		"/api/v1/logs?limit=2&after=c2 SSWS tok123",
	}
	if d := cmp.Diff(wantReqs, s.requests); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

func TestPullerErrors(t *testing.T) {
	s := newOktaServer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/unauth/api/v1/logs", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
	mux.HandleFunc("/broken/api/v1/logs", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	mux.HandleFunc("/leak/api/v1/logs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://evil.example/api/v1/logs?after=x>; rel="next"`)
		fmt.Fprintf(w, "[%s]", logEventJSON("e1"))
	})
	other := httptest.NewServer(mux)
	defer other.Close()
	_ = s
	for _, tc := range []struct {
		name, base string
		want       molehunt.ErrorCode
		events     int
	}{
		{"401", other.URL + "/unauth", molehunt.EUnauthorized, 0},
		{"persistent 502", other.URL + "/broken", molehunt.EUnavailable, 0},
		{"next link to another host", other.URL + "/leak", molehunt.EUnavailable, 1},
		{"bad base URL", "ftp://x", molehunt.EInvalid, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, waits := 0, 0
			p := &Puller{Client: other.Client(), MaxRetries: 2,
				Sleep: func(context.Context, time.Duration) error { waits++; return nil }}
			err := p.Pull(context.Background(), tc.base, "tok", time.Time{}, func(ingest.Record) error { n++; return nil })
			if got := molehunt.ErrorCodeOf(err); got != tc.want {
				t.Errorf("error %v: code %q; want %q", err, got, tc.want)
			}
			if n != tc.events {
				t.Errorf("emitted %d; want %d", n, tc.events)
			}
			if tc.name == "persistent 502" && waits != 2 {
				t.Errorf("waited %d times; want 2 retries", waits)
			}
		})
	}
}

// TestPull runs the package function with the real clock: the 429's reset
// is the server's own Date, so the wait is zero; the 500's backoff is 1 s.
func TestPull(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 1 s of backoff")
	}
	s := newOktaServer(t)
	s.date, s.resetIn = time.Now(), 0 // reset now: no wait
	n := 0
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := Pull(ctx, s.URL, "tok", time.Time{}, s.Client(), func(ingest.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("emitted %d; want 3", n)
	}
}

func TestNextLink(t *testing.T) {
	for _, tc := range []struct {
		links []string
		want  string
	}{
		{[]string{`<https://x/a?after=1>; rel="self"`, `<https://x/a?after=2>; rel="next"`}, "https://x/a?after=2"},
		{[]string{`<https://x/a?after=1>; rel="self", <https://x/a?after=2>; rel=next`}, "https://x/a?after=2"},
		{[]string{`<https://x/a?after=1>; rel="self"`}, ""},
		{[]string{`garbage`}, ""},
	} {
		h := http.Header{}
		for _, l := range tc.links {
			h.Add("Link", l)
		}
		if got := nextLink(h); got != tc.want {
			t.Errorf("nextLink(%q) = %q; want %q", tc.links, got, tc.want)
		}
	}
}
