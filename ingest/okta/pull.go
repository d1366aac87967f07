package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
)

// Pull reads the System Log API of the Okta org at baseURL
// ("https://example.okta.com") from since on, following the rel="next"
// links page by page, and emits each page's records as Parse does. It
// authenticates with an API token ("SSWS <token>"), waits out 429
// responses until X-Rate-Limit-Reset, and retries 5xx responses and
// network errors a few times with backoff. It stops at a page with no
// events: a polling query (no until) always has a next link. See Puller
// for the knobs; Pull uses their defaults.
func Pull(ctx context.Context, baseURL, token string, since time.Time, client *http.Client, emit func(ingest.Record) error) error {
	return (&Puller{Client: client}).Pull(ctx, baseURL, token, since, emit)
}

// Puller reads the System Log API; the zero value is ready to use.
type Puller struct {
	// Client does the requests; nil means http.DefaultClient.
	Client *http.Client
	// Limit is the page size asked for, 1 to 1000; 0 means 1000.
	Limit int
	// MaxRetries bounds the retries of one page after a 429, a 5xx or a
	// network error; 0 means 5.
	MaxRetries int
	// Backoff is the first wait after a 5xx or a network error, doubled
	// on each retry up to 30 s; 0 means 1 s.
	Backoff time.Duration
	// Canon makes the canonical identifiers; nil means a Canonicalizer
	// without a digest key (System Log events need none).
	Canon *ident.Canonicalizer
	// Now and Sleep are the clock; nil means the real one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// maxRateLimitWait bounds one wait for a rate-limit window; Okta's
// windows are one minute.
const maxRateLimitWait = 2 * time.Minute

// Pull is the package function Pull with p's settings.
func (p *Puller) Pull(ctx context.Context, baseURL, token string, since time.Time, emit func(ingest.Record) error) error {
	const op = "okta.Pull"
	base, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return molehunt.Errorf(molehunt.EInvalid, op, "base URL %q: want https://<org>.okta.com", baseURL)
	}
	limit := p.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if !since.IsZero() {
		q.Set("since", since.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	page := base.JoinPath("api", "v1", "logs")
	page.RawQuery = q.Encode()
	for {
		body, next, err := p.get(ctx, page.String(), token)
		if err != nil {
			return err
		}
		st, err := New().ParseStats(ctx, body, ingest.Options{File: page.String(), Canon: p.Canon}, emit)
		body.Close()
		if err != nil {
			return err
		}
		if st.Records() == 0 || next == "" {
			return nil
		}
		nu, err := page.Parse(next)
		if err != nil {
			return molehunt.Errorf(molehunt.EUnavailable, op, "next link %q: %v", next, err)
		}
		// The token goes wherever the next link points: follow it only on
		// the org it was given for.
		if nu.Scheme != base.Scheme || nu.Host != base.Host {
			return molehunt.Errorf(molehunt.EUnavailable, op, "next link leaves %s for %s; not followed", base.Host, nu.Host)
		}
		if nu.String() == page.String() {
			return nil
		}
		page = nu
	}
}

// get fetches one page, retrying as Pull describes, and returns its body
// and its rel="next" link.
func (p *Puller) get(ctx context.Context, u, token string) (io.ReadCloser, string, error) {
	const op = "okta.Pull"
	client := p.Client
	if client == nil {
		client = http.DefaultClient
	}
	maxRetries := p.MaxRetries
	if maxRetries <= 0 {
		maxRetries = 5
	}
	backoff := p.Backoff
	if backoff <= 0 {
		backoff = time.Second
	}
	transient := 0 // 5xx and network errors so far, for the backoff
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, "", &molehunt.Error{Code: molehunt.EInvalid, Op: op, Err: err}
		}
		req.Header.Set("Authorization", "SSWS "+token)
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, "", ctx.Err()
			}
			// The error text may hold the URL, never the token.
			err = &molehunt.Error{Code: molehunt.EUnavailable, Op: op, Message: "request failed", Err: err}
			wait = expBackoff(backoff, transient)
			transient++
		case resp.StatusCode == http.StatusOK:
			return resp.Body, nextLink(resp.Header), nil
		case resp.StatusCode == http.StatusTooManyRequests:
			wait = p.rateLimitWait(resp.Header)
			err = molehunt.Errorf(molehunt.EUnavailable, op, "%s: rate limited (429) %d times", u, attempt+1)
		case resp.StatusCode >= 500:
			wait = expBackoff(backoff, transient)
			transient++
			err = molehunt.Errorf(molehunt.EUnavailable, op, "%s: %s", u, status(resp))
		case resp.StatusCode == http.StatusUnauthorized:
			err = molehunt.Errorf(molehunt.EUnauthorized, op, "%s: %s", u, status(resp))
		case resp.StatusCode == http.StatusForbidden:
			err = molehunt.Errorf(molehunt.EForbidden, op, "%s: %s", u, status(resp))
		default:
			err = molehunt.Errorf(molehunt.EInvalid, op, "%s: %s", u, status(resp))
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		if molehunt.ErrorCodeOf(err) != molehunt.EUnavailable || attempt >= maxRetries {
			return nil, "", err
		}
		if err := p.sleep(ctx, wait); err != nil {
			return nil, "", err
		}
	}
}

// status describes a failed response with Okta's errorSummary when the
// body has one.
func status(resp *http.Response) string {
	var e struct {
		ErrorCode    string `json:"errorCode"`
		ErrorSummary string `json:"errorSummary"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&e)
	if e.ErrorSummary != "" {
		return fmt.Sprintf("%s (%s: %s)", resp.Status, e.ErrorCode, e.ErrorSummary)
	}
	return resp.Status
}

func expBackoff(first time.Duration, attempt int) time.Duration {
	d := first << attempt
	if d > 30*time.Second || d <= 0 {
		d = 30 * time.Second
	}
	return d
}

// rateLimitWait is the time until X-Rate-Limit-Reset (Unix seconds),
// measured against the response's Date as Okta advises, so a skewed local
// clock does not matter; 1 s when the header is missing.
func (p *Puller) rateLimitWait(h http.Header) time.Duration {
	reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Rate-Limit-Reset")), 10, 64)
	if err != nil {
		return time.Second
	}
	ref := p.now()
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		ref = d
	}
	wait := time.Unix(reset, 0).Sub(ref)
	switch {
	case wait < 0:
		return 0
	case wait > maxRateLimitWait:
		return maxRateLimitWait
	}
	return wait
}

func (p *Puller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Puller) sleep(ctx context.Context, d time.Duration) error {
	if p.Sleep != nil {
		return p.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// nextLink returns the target of the rel="next" link among the Link
// headers ("<https://...>; rel=\"next\""), or "".
func nextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for v != "" {
			start := strings.IndexByte(v, '<')
			end := strings.IndexByte(v, '>')
			if start < 0 || end < start {
				break
			}
			target := v[start+1 : end]
			rest := v[end+1:]
			params := rest
			if i := strings.IndexByte(rest, ','); i >= 0 {
				params, rest = rest[:i], rest[i+1:]
			} else {
				rest = ""
			}
			for _, prm := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(prm), "=")
				if strings.EqualFold(strings.TrimSpace(k), "rel") {
					for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
						if strings.EqualFold(rel, "next") {
							return target
						}
					}
				}
			}
			v = rest
		}
	}
	return ""
}
