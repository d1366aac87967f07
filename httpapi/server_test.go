package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"molehunt"
	"molehunt/httpapi"
	"molehunt/lists"
	"molehunt/lists/snapshot"
	"molehunt/screening"
)

var (
	regOnce sync.Once
	reg     *lists.Registry
	regErr  error
)

// loaded returns a registry over the bundled snapshot with the real index,
// shared by the tests of this package (it is read-only).
func loaded(t *testing.T) *lists.Registry {
	t.Helper()
	regOnce.Do(func() {
		reg, regErr = lists.New(lists.Config{Build: func(set molehunt.ListSet) (molehunt.Screener, error) {
			return screening.New(set, screening.Options{})
		}})
		if regErr != nil {
			return
		}
		files, err := snapshot.Files()
		if err != nil {
			regErr = err
			return
		}
		_, regErr = reg.Load(context.Background(), files)
	})
	if regErr != nil {
		t.Fatalf("load lists: %v", regErr)
	}
	return reg
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	r := loaded(t)
	srv := httptest.NewServer((&httpapi.Server{Screener: r, Lists: r, MaxBodyBytes: 64 << 10, MaxBatch: 5}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, method, url, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestReadiness(t *testing.T) {
	empty, err := lists.New(lists.Config{Build: func(set molehunt.ListSet) (molehunt.Screener, error) { return screening.New(set, screening.Options{}) }})
	if err != nil {
		t.Fatal(err)
	}
	notReady := httptest.NewServer((&httpapi.Server{Screener: empty, Lists: empty}).Handler())
	defer notReady.Close()
	for _, tc := range []struct {
		name, url string
		want      int
	}{
		{"healthz before load", notReady.URL + "/healthz", 200},
		{"readyz before load", notReady.URL + "/readyz", 503},
		{"screen before load", notReady.URL + "/v1/screen?name=x", 503},
		{"readyz after load", newServer(t).URL + "/readyz", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, "GET", tc.url, "")
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d (%s); want %d", resp.StatusCode, body, tc.want)
			}
		})
	}
}

type screenResp struct {
	Responses map[string]struct {
		Status  int `json:"status"`
		Results []struct {
			ID           string                 `json:"id"`
			SourceID     string                 `json:"source_id"`
			Caption      string                 `json:"caption"`
			Schema       string                 `json:"schema"`
			Lists        []string               `json:"lists"`
			Score        float64                `json:"score"`
			NameScore    float64                `json:"name_score"`
			Match        bool                   `json:"match"`
			Explanations []molehunt.Explanation `json:"explanations"`
		} `json:"results"`
		Warnings []string `json:"warnings"`
		Error    *struct{ Code, Message string }
	} `json:"responses"`
	Lists []molehunt.ListInfo `json:"lists"`
}

func TestPostScreenYenteShape(t *testing.T) {
	srv := newServer(t)
	body := `{"queries": {
		"kim": {"schema": "Person", "properties": {"name": ["Kim Jong Un"], "nationality": ["kp"]}},
		"nobody": {"schema": "Person", "properties": {"name": ["Margaret Thistlewood"]}},
		"bad": {"schema": "Spaceship", "properties": {"name": ["x"]}},
		"empty": {"schema": "Person", "properties": {}}
	}}`
	resp, raw := do(t, "POST", srv.URL+"/v1/screen", body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, raw)
	}
	var got screenResp
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("decode: %v\n%s", err, raw)
	}
	if len(got.Lists) == 0 {
		t.Errorf("response names no list versions")
	}
	kim := got.Responses["kim"]
	if kim.Status != 200 || len(kim.Results) == 0 {
		t.Fatalf("kim: %+v; want results", kim)
	}
	top := kim.Results[0]
	if !top.Match || !strings.HasPrefix(top.ID, string(molehunt.ListOFACSDN)+"-") && !strings.HasPrefix(top.ID, string(molehunt.ListUNSC)+"-") {
		t.Errorf("kim top result %+v; want a match on a listed entry", top)
	}
	if top.ID != top.Lists[0]+"-"+top.SourceID || top.Schema != "Person" || len(top.Explanations) == 0 || top.Score <= 0 || top.Score > 1 {
		t.Errorf("kim top result %+v; want id = list-source_id, schema Person, explanations, score in (0,1]", top)
	}
	if len(kim.Warnings) == 0 || !strings.Contains(kim.Warnings[0], "nationality") {
		t.Errorf("kim warnings %v; want nationality ignored", kim.Warnings)
	}
	if r := got.Responses["nobody"]; r.Status != 200 || len(r.Results) > 0 && r.Results[0].Match {
		t.Errorf("nobody: %+v; want no match", r)
	}
	if r := got.Responses["bad"]; r.Status != 400 || r.Error == nil || r.Error.Code != "invalid" {
		t.Errorf("bad schema: %+v; want 400 invalid", r)
	}
	if r := got.Responses["empty"]; r.Status != 400 {
		t.Errorf("empty query: %+v; want 400", r)
	}
}

func TestErrors(t *testing.T) {
	srv := newServer(t)
	many := `{"queries": {"a":{"properties":{"name":["a"]}},"b":{"properties":{"name":["a"]}},"c":{"properties":{"name":["a"]}},"d":{"properties":{"name":["a"]}},"e":{"properties":{"name":["a"]}},"f":{"properties":{"name":["a"]}}}}`
	huge := `{"queries": {"a": {"properties": {"name": ["` + strings.Repeat("x", 70<<10) + `"]}}}}`
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code                     molehunt.ErrorCode
	}{
		{"malformed JSON", "POST", "/v1/screen", `{"queries": `, 400, molehunt.EInvalid},
		{"unknown field", "POST", "/v1/screen", `{"querys": {}}`, 400, molehunt.EInvalid},
		{"no queries", "POST", "/v1/screen", `{"queries": {}}`, 400, molehunt.EInvalid},
		{"too many queries", "POST", "/v1/screen", many, 413, molehunt.ETooLarge},
		{"body too large", "POST", "/v1/screen", huge, 413, molehunt.ETooLarge},
		{"bad threshold", "GET", "/v1/screen?name=x&threshold=2", "", 400, molehunt.EInvalid},
		{"bad type", "GET", "/v1/screen?name=x&type=martian", "", 400, molehunt.EInvalid},
		{"no name", "GET", "/v1/screen", "", 400, molehunt.EInvalid},
		{"unknown route", "GET", "/v1/nothing", "", 404, molehunt.ENotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, raw := do(t, tc.method, srv.URL+tc.path, tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d (%s); want %d", resp.StatusCode, raw, tc.status)
			}
			var e struct {
				Error struct {
					Code    molehunt.ErrorCode `json:"code"`
					Message string             `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code != tc.code || e.Error.Message == "" {
				t.Fatalf("body %s; want JSON error code %q with a message", raw, tc.code)
			}
		})
	}
}

func TestGetScreenAndLists(t *testing.T) {
	srv := newServer(t)
	resp, raw := do(t, "GET", srv.URL+"/v1/screen?name=Kim+Jong+Un&type=person", "")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, raw)
	}
	var got struct {
		Results []struct {
			ID    string `json:"id"`
			Match bool   `json:"match"`
		} `json:"results"`
		Lists []molehunt.ListInfo `json:"lists"`
	}
	if err := json.Unmarshal(raw, &got); err != nil || len(got.Results) == 0 || !got.Results[0].Match || len(got.Lists) == 0 {
		t.Fatalf("GET /v1/screen: %s; want a match and list versions", raw)
	}
	resp, raw = do(t, "GET", srv.URL+"/v1/lists", "")
	var ls struct {
		Lists []molehunt.ListInfo `json:"lists"`
		Ready bool                `json:"ready"`
	}
	if err := json.Unmarshal(raw, &ls); err != nil || resp.StatusCode != 200 || !ls.Ready || len(ls.Lists) < 4 {
		t.Fatalf("GET /v1/lists: %d %s; want ready with ≥4 lists", resp.StatusCode, raw)
	}
}

func TestScreeningPage(t *testing.T) {
	srv := newServer(t)
	resp, raw := do(t, "GET", srv.URL+"/", "")
	if resp.StatusCode != 200 || !bytes.Contains(raw, []byte(`<form method="post" action="/screen"`)) {
		t.Fatalf("GET /: %d\n%s", resp.StatusCode, raw)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q; want scripts from self only", csp)
	}
	form := "name=Kim+Jong+Un&type=person"
	req, _ := http.NewRequest("POST", srv.URL+"/screen", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	page, _ := io.ReadAll(resp2.Body)
	if resp2.StatusCode != 200 || !bytes.Contains(page, []byte("is-match")) || bytes.Contains(page, []byte("<title>Kim")) {
		t.Fatalf("POST /screen: %d; want a result marked as a match and no name in the title\n%s", resp2.StatusCode, page)
	}
}
