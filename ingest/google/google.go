// Package google reads Google Workspace login audit activities: the Admin
// SDK Reports API (reports_v1) activities.list response for
// applicationName=login, as Google's Reports API reference documents the
// activity resource and its "Login Audit activity events" appendix lists
// the event names and parameters.
//
// Input is sniffed: an activities.list page ({"items": [...],
// "nextPageToken": ...}, streamed item by item), a JSON array of
// activities, NDJSON of activities, or pretty-printed activities one
// after another. Each sign-in event of an activity becomes one molehunt
// authentication event (see SignInEvents); other events and activities of
// other applications are skipped and counted in Stats.
//
// Login audit records carry no bank account or government id numbers, so
// Raw is the activity as received (the whole activity for each of its
// events; SourceEventID names the event).
package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/jsonstream"
)

// Parser reads Google Workspace login audit activities. It holds no state
// between runs and is safe for concurrent use.
type Parser struct{}

var _ ingest.Parser = (*Parser)(nil)

// New returns a Parser.
func New() *Parser { return &Parser{} }

// Source returns molehunt.SourceGoogle.
func (p *Parser) Source() molehunt.Source { return molehunt.SourceGoogle }

// Stats counts what one run did with the records it read.
type Stats struct {
	Events  int // authentication events emitted
	Rejects int // activities or events rejected
	Skipped int // events not read as sign-ins
	// SkippedNames counts the skipped events by "application/name".
	SkippedNames map[string]int
}

// Parse implements ingest.Parser; see ParseStats.
func (p *Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	_, err := p.ParseStats(ctx, r, opts, emit)
	return err
}

// ParseStats is Parse that also reports how many events were emitted,
// rejected and skipped (by name).
func (p *Parser) ParseStats(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) (Stats, error) {
	st := Stats{SkippedNames: map[string]int{}}
	canon := opts.Canon
	if canon == nil {
		canon = &ident.Canonicalizer{}
	}
	reject := func(where, field string, err error) error {
		st.Rejects++
		rej := molehunt.RejectOf(molehunt.SourceGoogle, opts.File, &molehunt.RecordError{File: opts.File, Record: where, Field: field, Err: err})
		return emit(ingest.Record{Reject: &rej})
	}
	w := &jsonstream.Walker{
		File:          opts.File,
		ContainerPath: []string{"items"},
		OnLineError:   func(where string, err error) error { return reject(where, "", err) },
		Fn: func(where string, raw json.RawMessage) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return mapActivity(raw, canon, func(m mapped) error {
				rec := where
				if m.ev != nil && m.ev.SourceEventID != "" {
					rec += " (id " + m.ev.SourceEventID + ")"
				}
				switch {
				case m.err != nil:
					return reject(rec, m.field, m.err)
				case m.ev == nil:
					st.Skipped++
					st.SkippedNames[m.skipped]++
					return nil
				}
				if err := m.ev.Validate(); err != nil {
					var re *molehunt.RecordError
					if errors.As(err, &re) {
						return reject(rec, re.Field, re.Err)
					}
					return reject(rec, "", err)
				}
				st.Events++
				return emit(ingest.Record{Event: m.ev})
			})
		},
	}
	return st, w.Run(ctx, r)
}

type activity struct {
	ID *struct {
		Time            string          `json:"time"`
		UniqueQualifier json.RawMessage `json:"uniqueQualifier"` // int64, as a string
		ApplicationName string          `json:"applicationName"`
		CustomerID      string          `json:"customerId"`
	} `json:"id"`
	Actor *struct {
		Email     string `json:"email"`
		ProfileID string `json:"profileId"`
	} `json:"actor"`
	IPAddress   string `json:"ipAddress"`
	NetworkInfo *struct {
		RegionCode      string `json:"regionCode"`
		SubdivisionCode string `json:"subdivisionCode"`
	} `json:"networkInfo"`
	Events []event `json:"events"`
}

type event struct {
	Type       string      `json:"type"`
	Name       string      `json:"name"`
	Parameters []parameter `json:"parameters"`
}

// parameter is one event parameter; only one of the value members is set.
// Integer and message values are not read, and kept loose so an odd one
// cannot fail the record.
type parameter struct {
	Name       string          `json:"name"`
	Value      string          `json:"value"`
	BoolValue  *bool           `json:"boolValue"`
	MultiValue []string        `json:"multiValue"`
	IntValue   json.RawMessage `json:"intValue"`
}

// mapped is one event's result: an event, a skip (its name) or a reject.
type mapped struct {
	ev      *molehunt.Event
	skipped string
	field   string
	err     error
}

// SignInEvents are the login-audit event names read as authentication
// events. Logouts, account warnings, password and recovery changes are
// skipped; 2-step verification enrolment changes are kept, because a new
// second factor from a new place is how a borrowed account is taken over.
var SignInEvents = map[string]bool{
	"login_success":                    true,
	"login_failure":                    true,
	"login_challenge":                  true,
	"login_verification":               true,
	"suspicious_login":                 true,
	"suspicious_login_less_secure_app": true,
	"suspicious_programmatic_login":    true,
	"2sv_enroll":                       true,
	"2sv_disable":                      true,
}

// mapActivity maps the events of one activity, calling out for each.
func mapActivity(raw json.RawMessage, canon *ident.Canonicalizer, out func(mapped) error) error {
	var act activity
	if err := json.Unmarshal(raw, &act); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return out(mapped{field: te.Field, err: fmt.Errorf("want %s, got JSON %s", te.Type, te.Value)})
		}
		return out(mapped{err: fmt.Errorf("not an activity object: %w", err)})
	}
	if act.ID == nil {
		return out(mapped{field: "id", err: errors.New("missing")})
	}
	app := act.ID.ApplicationName
	if app != "" && app != "login" {
		for _, e := range act.Events {
			if err := out(mapped{skipped: app + "/" + e.Name}); err != nil {
				return err
			}
		}
		return nil
	}
	uq := strings.Trim(strings.TrimSpace(string(act.ID.UniqueQualifier)), `"`)
	if uq == "" || uq == "null" {
		return out(mapped{field: "id.uniqueQualifier", err: errors.New("missing")})
	}
	if _, err := strconv.ParseInt(uq, 10, 64); err != nil {
		return out(mapped{field: "id.uniqueQualifier", err: fmt.Errorf("want an integer, got %s", act.ID.UniqueQualifier)})
	}
	t, err := time.Parse(time.RFC3339Nano, act.ID.Time)
	if err != nil {
		return out(mapped{field: "id.time", err: fmt.Errorf("not an RFC 3339 time: %q", act.ID.Time)})
	}
	// What every event of the activity shares.
	base := molehunt.AuthDetail{}
	if s := strings.TrimSpace(act.IPAddress); s != "" {
		ip, err := ident.ParseIP(s)
		if err != nil {
			return out(mapped{field: "ipAddress", err: err})
		}
		base.IP = ip
	}
	if n := act.NetworkInfo; n != nil {
		base.Geo.Country = strings.ToUpper(strings.TrimSpace(n.RegionCode))
		base.Geo.Region = strings.TrimSpace(n.SubdivisionCode) // ISO 3166-2, "US-CA"
	}
	var actor []molehunt.Identifier
	if a := act.Actor; a != nil && strings.TrimSpace(a.Email) != "" {
		id, err := canon.Identifier(molehunt.IDEmail, a.Email)
		if err != nil {
			return out(mapped{field: "actor.email", err: err})
		}
		// The account name is the address as written, lower-cased; the
		// mailbox identity folds aliases (Gmail dots, +tags).
		login, err := canon.Identifier(molehunt.IDLogin, a.Email)
		if err != nil {
			return out(mapped{field: "actor.email", err: err})
		}
		actor = append(actor, login, id)
	}
	for i, e := range act.Events {
		if !SignInEvents[e.Name] {
			if err := out(mapped{skipped: "login/" + e.Name}); err != nil {
				return err
			}
			continue
		}
		a := base
		mapEvent(&a, e)
		ev := &molehunt.Event{
			Kind:   molehunt.EventAuthentication,
			Source: molehunt.SourceGoogle,
			// One activity may hold several events: the index tells them
			// apart and is stable across exports of the same activity.
			SourceEventID: uq + ":" + strconv.Itoa(i),
			Time:          t.UTC(),
			Actor:         append([]molehunt.Identifier(nil), actor...),
			Auth:          &a,
			Raw:           raw,
		}
		if err := out(mapped{ev: ev}); err != nil {
			return err
		}
	}
	return nil
}

// mapEvent fills outcome, reason and factor from an event's name and
// parameters.
func mapEvent(a *molehunt.AuthDetail, e event) {
	params := map[string]parameter{}
	for _, p := range e.Parameters {
		params[p.Name] = p
	}
	status := params["login_challenge_status"].Value // "Challenge Passed", "Challenge Failed"
	failed := strings.Contains(strings.ToLower(status), "fail")
	switch e.Name {
	case "login_success":
		a.Outcome = molehunt.AuthSuccess
	case "login_failure":
		a.Outcome = molehunt.AuthFailure
		a.Reason = params["login_failure_type"].Value
	case "login_challenge":
		// Google asked for more proof; a failed challenge fails the login.
		a.Outcome, a.Reason = molehunt.AuthChallenge, status
		if failed {
			a.Outcome = molehunt.AuthFailure
		}
	case "login_verification":
		a.Outcome, a.Reason = molehunt.AuthSuccess, ""
		if failed {
			a.Outcome, a.Reason = molehunt.AuthFailure, status
		}
	case "2sv_enroll", "2sv_disable":
		a.Outcome, a.Reason = molehunt.AuthSuccess, e.Name
	default: // suspicious_*: Google's flag on a login, whose result it does not say
		a.Outcome, a.Reason = molehunt.AuthUnknown, e.Name
	}
	for _, m := range params["login_challenge_method"].MultiValue {
		if f := factor(m); f != "" {
			a.MFAFactor = f
			break
		}
	}
	if a.MFAFactor == "" {
		a.MFAFactor = factor(params["login_challenge_method"].Value)
	}
}

// factor maps login_challenge_method values to molehunt's factor
// vocabulary; "" for the password and for no challenge.
func factor(m string) string {
	m = strings.ToLower(strings.TrimSpace(m))
	switch {
	case m == "" || m == "password" || m == "none" || m == "login_location":
		return ""
	case m == "google_prompt" || strings.Contains(m, "prompt"):
		return "push"
	case m == "google_authenticator" || m == "offline_otp" || m == "totp":
		return "totp"
	case m == "idv_any_phone" || m == "idv_preregistered_phone" || strings.Contains(m, "phone"):
		return "sms"
	case strings.Contains(m, "security_key"):
		return "webauthn"
	case strings.Contains(m, "passkey"):
		return "passkey"
	case m == "backup_code":
		return "backup_code"
	case strings.HasPrefix(m, "knowledge_"):
		return "knowledge"
	}
	return m
}
