// Package okta reads the Okta System Log: LogEvent objects as the System
// Log API (GET /api/v1/logs, System Log API v1) returns them and as Okta
// event hooks deliver them (com.okta.event_hook, data.events[]), following
// Okta's developer documentation of the LogEvent object, the event types
// catalogue and event hooks.
//
// Input is sniffed: a JSON array of LogEvents (an API page or an export),
// NDJSON (one LogEvent or one hook delivery a line), or one or more
// pretty-printed LogEvents or hook deliveries. Sign-in events (see
// SignInEventTypes) become molehunt authentication events; every other
// event type is skipped and counted in Stats, never rejected. Pull reads
// the System Log API directly.
//
// System Log events carry no bank account or government id numbers, so
// Raw is the LogEvent as received.
package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/jsonstream"
)

// Parser reads Okta System Log events. It holds no state between runs and
// is safe for concurrent use.
type Parser struct{}

var _ ingest.Parser = (*Parser)(nil)

// New returns a Parser.
func New() *Parser { return &Parser{} }

// Source returns molehunt.SourceOkta.
func (p *Parser) Source() molehunt.Source { return molehunt.SourceOkta }

// Stats counts what one run did with the records it read.
type Stats struct {
	Events  int // authentication events emitted
	Rejects int // records rejected
	Skipped int // LogEvents of other event types, left out
	// SkippedTypes counts the skipped LogEvents by eventType.
	SkippedTypes map[string]int
}

// Records returns how many records the run read in all.
func (s Stats) Records() int { return s.Events + s.Rejects + s.Skipped }

// Parse implements ingest.Parser; see ParseStats.
func (p *Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	_, err := p.ParseStats(ctx, r, opts, emit)
	return err
}

// ParseStats is Parse that also reports how many LogEvents were emitted,
// rejected and skipped (by event type).
func (p *Parser) ParseStats(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) (Stats, error) {
	st := Stats{SkippedTypes: map[string]int{}}
	canon := opts.Canon
	if canon == nil {
		canon = &ident.Canonicalizer{}
	}
	reject := func(where, field string, err error) error {
		st.Rejects++
		rej := molehunt.RejectOf(molehunt.SourceOkta, opts.File, &molehunt.RecordError{File: opts.File, Record: where, Field: field, Err: err})
		return emit(ingest.Record{Reject: &rej})
	}
	w := &jsonstream.Walker{
		File:          opts.File,
		ContainerPath: []string{"data", "events"},
		OnLineError:   func(where string, err error) error { return reject(where, "", err) },
		Fn: func(where string, raw json.RawMessage) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			ev, eventType, field, err := mapEvent(raw, canon)
			if ev != nil && ev.SourceEventID != "" {
				where += " (uuid " + ev.SourceEventID + ")"
			}
			switch {
			case err != nil:
				return reject(where, field, err)
			case ev == nil:
				st.Skipped++
				st.SkippedTypes[eventType]++
				return nil
			}
			if err := ev.Validate(); err != nil {
				var re *molehunt.RecordError
				if errors.As(err, &re) {
					return reject(where, re.Field, re.Err)
				}
				return reject(where, "", err)
			}
			st.Events++
			return emit(ingest.Record{Event: ev})
		},
	}
	return st, w.Run(ctx, r)
}

// logEvent holds the LogEvent members this package reads.
type logEvent struct {
	UUID      string `json:"uuid"`
	Published string `json:"published"`
	EventType string `json:"eventType"`
	Outcome   *struct {
		Result string `json:"result"`
		Reason string `json:"reason"`
	} `json:"outcome"`
	Actor *struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		AlternateID string `json:"alternateId"`
	} `json:"actor"`
	Client *struct {
		IPAddress string `json:"ipAddress"`
		UserAgent *struct {
			RawUserAgent string `json:"rawUserAgent"`
		} `json:"userAgent"`
		GeographicalContext *geoContext `json:"geographicalContext"`
	} `json:"client"`
	// Device is the Okta device record (Okta Verify / FastPass device
	// registration), present on events of registered devices.
	Device *struct {
		ID string `json:"id"`
	} `json:"device"`
	AuthenticationContext *struct {
		CredentialType string `json:"credentialType"`
	} `json:"authenticationContext"`
	DebugContext *struct {
		DebugData map[string]any `json:"debugData"`
	} `json:"debugContext"`
	Target []target `json:"target"`
}

type geoContext struct {
	City        string `json:"city"`
	State       string `json:"state"`
	Country     string `json:"country"`
	Geolocation *struct {
		Lat float64 `json:"lat"`
		Lon float64 `json:"lon"`
	} `json:"geolocation"`
}

type target struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	AlternateID string `json:"alternateId"`
	DisplayName string `json:"displayName"`
}

// SignInEventTypes are the event types read as authentication events,
// besides every "user.authentication.*" type that is not a logout. They
// are sign-in attempts and steps (session start, SSO, MFA verification,
// sign-on policy evaluation, push sent or denied) and changes of a user's
// MFA enrolment, which matter because a new authenticator from a new
// place is how a borrowed identity is taken over.
var SignInEventTypes = map[string]bool{
	"user.session.start":                      true,
	"policy.evaluate_sign_on":                 true,
	"system.push.send_factor_verify_push":     true,
	"user.mfa.okta_verify.deny_push":          true,
	"user.mfa.attempt_bypass":                 true,
	"user.mfa.factor.activate":                true,
	"user.mfa.factor.deactivate":              true,
	"user.mfa.factor.reset_all":               true,
	"user.mfa.factor.suspend":                 true,
	"user.mfa.factor.unsuspend":               true,
	"user.mfa.factor.update":                  true,
	"user.authentication.auth_via_mfa":        true,
	"user.authentication.sso":                 true,
	"user.authentication.verify":              true,
	"user.authentication.authenticate":        true,
	"user.authentication.auth_via_IDP":        true,
	"user.authentication.auth_via_social":     true,
	"user.authentication.auth_via_radius":     true,
	"user.authentication.auth_via_richclient": true,
}

// isSignIn reports whether eventType is read as an authentication event.
func isSignIn(eventType string) bool {
	if SignInEventTypes[eventType] {
		return true
	}
	return strings.HasPrefix(eventType, "user.authentication.") && !strings.Contains(eventType, "logout")
}

// isEnrolment reports whether eventType changes a user's MFA enrolment
// rather than signing in; its Reason names the event type, because
// AuthDetail has no field for the kind of activity.
func isEnrolment(eventType string) bool { return strings.HasPrefix(eventType, "user.mfa.factor.") }

// mapEvent maps one LogEvent. It returns a nil event and no error for an
// event type that is skipped, and the field at fault with an error.
func mapEvent(raw json.RawMessage, canon *ident.Canonicalizer) (*molehunt.Event, string, string, error) {
	var le logEvent
	if err := json.Unmarshal(raw, &le); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, "", te.Field, fmt.Errorf("want %s, got JSON %s", te.Type, te.Value)
		}
		return nil, "", "", fmt.Errorf("not a LogEvent object: %w", err)
	}
	if le.EventType == "" {
		return nil, "", "eventType", errors.New("missing")
	}
	if !isSignIn(le.EventType) {
		return nil, le.EventType, "", nil
	}
	ev := &molehunt.Event{
		Kind:          molehunt.EventAuthentication,
		Source:        molehunt.SourceOkta,
		SourceEventID: strings.TrimSpace(le.UUID),
		Raw:           raw,
		Auth:          &molehunt.AuthDetail{},
	}
	if ev.SourceEventID == "" {
		return nil, le.EventType, "uuid", errors.New("missing")
	}
	t, err := time.Parse(time.RFC3339Nano, le.Published)
	if err != nil {
		return ev, le.EventType, "published", fmt.Errorf("not an RFC 3339 time: %q", le.Published)
	}
	ev.Time = t.UTC()

	a := ev.Auth
	if c := le.Client; c != nil {
		if c.IPAddress != "" {
			ip, err := ident.ParseIP(c.IPAddress)
			if err != nil {
				return ev, le.EventType, "client.ipAddress", err
			}
			a.IP = ip
		}
		if c.UserAgent != nil {
			a.UserAgent = strings.TrimSpace(c.UserAgent.RawUserAgent)
		}
		if g := c.GeographicalContext; g != nil {
			a.Geo = molehunt.Geo{Country: countryCode(g.Country), Region: g.State, City: g.City}
			if g.Geolocation != nil {
				a.Geo.Lat, a.Geo.Lon = g.Geolocation.Lat, g.Geolocation.Lon
			}
		}
	}
	var reason string
	if le.Outcome != nil {
		a.Outcome = outcome(le.Outcome.Result)
		reason = le.Outcome.Reason
	}
	switch le.EventType {
	case "system.push.send_factor_verify_push":
		a.Outcome = molehunt.AuthChallenge // the push is the challenge
	case "user.mfa.okta_verify.deny_push", "user.mfa.attempt_bypass":
		a.Outcome = molehunt.AuthFailure
		if reason == "" {
			reason = le.EventType
		}
	}
	if isEnrolment(le.EventType) {
		reason = strings.TrimSuffix(le.EventType+": "+reason, ": ")
	}
	a.Reason = reason

	// The AuthenticatorEnrollment target is the authenticator used or
	// changed; the password is an authenticator in Okta Identity Engine
	// but not an MFA device.
	var enrol *target
	for i := range le.Target {
		t := &le.Target[i]
		switch t.Type {
		case "AppInstance":
			if a.Application == "" {
				a.Application = firstNonEmpty(t.DisplayName, t.AlternateID)
			}
		case "AuthenticatorEnrollment":
			if enrol == nil && !strings.EqualFold(t.DisplayName, "Password") {
				enrol = t
			}
		}
	}
	if le.DebugContext != nil {
		if f, ok := le.DebugContext.DebugData["factor"].(string); ok {
			a.MFAFactor = factor(f)
		}
	}
	if a.MFAFactor == "" && enrol != nil {
		a.MFAFactor = factor(enrol.DisplayName)
	}
	if a.MFAFactor == "" && le.AuthenticationContext != nil {
		a.MFAFactor = factor(le.AuthenticationContext.CredentialType)
	}
	if enrol != nil {
		a.MFADevice = strings.TrimSpace(enrol.ID)
	}

	// Actor identifiers: only a user actor names the person; a system
	// principal or an app would join every user it touched.
	if act := le.Actor; act != nil && (act.Type == "" || act.Type == "User") && strings.TrimSpace(act.AlternateID) != "" {
		id, err := canon.Identifier(molehunt.IDLogin, act.AlternateID)
		if err != nil {
			return ev, le.EventType, "actor.alternateId", err
		}
		ev.Actor = append(ev.Actor, id)
		if strings.Contains(act.AlternateID, "@") {
			if id, err := canon.Identifier(molehunt.IDEmail, act.AlternateID); err == nil {
				ev.Actor = append(ev.Actor, id)
			}
		}
	}
	if a.MFADevice != "" {
		id, err := canon.Identifier(molehunt.IDMFADevice, a.MFADevice)
		if err != nil {
			return ev, le.EventType, "target.id", err
		}
		ev.Actor = append(ev.Actor, id)
	}
	if le.Device != nil && strings.TrimSpace(le.Device.ID) != "" {
		// molehunt has no identifier kind for an identity provider's
		// device registration; it is kept as an MFA device with a prefix
		// that keeps it apart from authenticator ids (see formats notes).
		id, err := canon.Identifier(molehunt.IDMFADevice, DevicePrefix+strings.TrimSpace(le.Device.ID))
		if err != nil {
			return ev, le.EventType, "device.id", err
		}
		ev.Actor = append(ev.Actor, id)
	}
	return ev, le.EventType, "", nil
}

// DevicePrefix starts the IDMFADevice value of an Okta device id.
const DevicePrefix = "okta-device:"

// outcome maps outcome.result: SUCCESS and ALLOW succeed, FAILURE and DENY
// fail, CHALLENGE asks for more proof; SKIPPED, UNKNOWN and others are
// unknown.
func outcome(result string) molehunt.AuthOutcome {
	switch strings.ToUpper(result) {
	case "SUCCESS", "ALLOW":
		return molehunt.AuthSuccess
	case "FAILURE", "DENY":
		return molehunt.AuthFailure
	case "CHALLENGE":
		return molehunt.AuthChallenge
	}
	return molehunt.AuthUnknown
}

// factor maps Okta's factor names (debugData.factor, factorType values,
// authenticator names, credentialType) to molehunt's factor vocabulary.
// A password is not a factor of MFA and maps to "".
func factor(s string) string {
	u := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case u == "" || u == "PASSWORD" || u == "UNKNOWN" || u == "NULL":
		return ""
	case strings.Contains(u, "PUSH"):
		return "push"
	case strings.Contains(u, "SIGNED_NONCE") || strings.Contains(u, "FASTPASS"):
		return "fastpass"
	case strings.Contains(u, "WEBAUTHN") || strings.Contains(u, "U2F") || strings.Contains(u, "FIDO") ||
		strings.Contains(u, "SECURITY KEY") || strings.Contains(u, "BIOMETRIC"):
		return "webauthn"
	case strings.Contains(u, "SMS"):
		return "sms"
	case strings.Contains(u, "CALL") || strings.Contains(u, "VOICE"):
		return "voice"
	case strings.Contains(u, "TOTP") || strings.Contains(u, "OTP") || strings.Contains(u, "AUTHENTICATOR") ||
		strings.Contains(u, "TOKEN") || strings.Contains(u, "YUBIKEY"):
		return "totp"
	case strings.Contains(u, "EMAIL"):
		return "email"
	case strings.Contains(u, "QUESTION"):
		return "security_question"
	case u == "OKTA VERIFY":
		return "okta_verify"
	case u == "PHONE":
		return "phone"
	}
	return strings.ToLower(strings.ReplaceAll(u, " ", "_"))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
