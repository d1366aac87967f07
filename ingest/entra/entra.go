// Package entra reads Microsoft Entra ID sign-in logs: signIn resources of
// Microsoft Graph (GET /auditLogs/signIns, v1.0 and beta), as Microsoft's
// Graph API reference documents the signIn resource type and its
// status, location, deviceDetail, authenticationDetail and mfaDetail
// types, and the Entra "sign-in error codes" (AADSTS) reference.
//
// Input is sniffed: a Graph list response ({"value": [...],
// "@odata.nextLink": ...}, streamed element by element), a JSON array of
// signIns, NDJSON, or pretty-printed signIns one after another. Azure
// Monitor diagnostic-settings exports ({"category": "SignInLogs",
// "properties": {...}}) are unwrapped. Every signIn becomes one molehunt
// authentication event.
//
// Sign-in logs carry no bank account or government id numbers, so Raw is
// the signIn as received.
package entra

import (
	"bytes"
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

// Parser reads Entra sign-in logs. It holds no state between runs and is
// safe for concurrent use.
type Parser struct{}

var _ ingest.Parser = (*Parser)(nil)

// New returns a Parser.
func New() *Parser { return &Parser{} }

// Source returns molehunt.SourceEntra.
func (p *Parser) Source() molehunt.Source { return molehunt.SourceEntra }

// Stats counts what one run did with the records it read.
type Stats struct {
	Events  int // authentication events emitted
	Rejects int // records rejected
}

// Parse implements ingest.Parser; see ParseStats.
func (p *Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	_, err := p.ParseStats(ctx, r, opts, emit)
	return err
}

// ParseStats is Parse that also reports how many signIns were emitted and
// rejected.
func (p *Parser) ParseStats(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) (Stats, error) {
	var st Stats
	canon := opts.Canon
	if canon == nil {
		canon = &ident.Canonicalizer{}
	}
	reject := func(where, field string, err error) error {
		st.Rejects++
		rej := molehunt.RejectOf(molehunt.SourceEntra, opts.File, &molehunt.RecordError{File: opts.File, Record: where, Field: field, Err: err})
		return emit(ingest.Record{Reject: &rej})
	}
	w := &jsonstream.Walker{
		File:          opts.File,
		ContainerPath: []string{"value"},
		OnLineError:   func(where string, err error) error { return reject(where, "", err) },
		Fn: func(where string, raw json.RawMessage) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			ev, field, err := mapSignIn(raw, canon)
			if ev != nil && ev.SourceEventID != "" {
				where += " (id " + ev.SourceEventID + ")"
			}
			if err != nil {
				return reject(where, field, err)
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

// errorCode is status.errorCode, a number in Graph and sometimes a string
// in exports.
type errorCode struct {
	set bool
	n   int
}

func (c *errorCode) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "null" || s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("errorCode %s: want an integer", b)
	}
	c.set, c.n = true, n
	return nil
}

type signIn struct {
	ID                  string `json:"id"`
	CreatedDateTime     string `json:"createdDateTime"`
	UserPrincipalName   string `json:"userPrincipalName"`
	IPAddress           string `json:"ipAddress"`
	UserAgent           string `json:"userAgent"`
	AppDisplayName      string `json:"appDisplayName"`
	ResourceDisplayName string `json:"resourceDisplayName"`
	Status              *struct {
		ErrorCode     errorCode `json:"errorCode"`
		FailureReason string    `json:"failureReason"`
	} `json:"status"`
	Location *struct {
		City            string `json:"city"`
		State           string `json:"state"`
		CountryOrRegion string `json:"countryOrRegion"`
		GeoCoordinates  *struct {
			Latitude  *float64 `json:"latitude"`
			Longitude *float64 `json:"longitude"`
		} `json:"geoCoordinates"`
	} `json:"location"`
	DeviceDetail *struct {
		DeviceID string `json:"deviceId"`
	} `json:"deviceDetail"`
	AuthenticationDetails []struct {
		AuthenticationMethod       string `json:"authenticationMethod"`
		AuthenticationMethodDetail string `json:"authenticationMethodDetail"`
		Succeeded                  *bool  `json:"succeeded"`
	} `json:"authenticationDetails"`
	MFADetail *struct {
		AuthMethod string `json:"authMethod"`
		AuthDetail string `json:"authDetail"`
	} `json:"mfaDetail"`

	// Azure Monitor diagnostic exports wrap the signIn.
	Category   string          `json:"category"`
	Properties json.RawMessage `json:"properties"`
}

// mapSignIn maps one signIn, returning the field at fault with an error.
func mapSignIn(raw json.RawMessage, canon *ident.Canonicalizer) (*molehunt.Event, string, error) {
	var si signIn
	if err := unmarshal(raw, &si); err != nil {
		return nil, fieldOf(err), err
	}
	if si.ID == "" && len(si.Properties) > 0 && !bytes.Equal(bytes.TrimSpace(si.Properties), []byte("null")) {
		// A diagnostic-settings record: the signIn is its properties.
		var inner signIn
		if err := unmarshal(si.Properties, &inner); err != nil {
			return nil, "properties." + fieldOf(err), err
		}
		si = inner
	}
	ev := &molehunt.Event{
		Kind:          molehunt.EventAuthentication,
		Source:        molehunt.SourceEntra,
		SourceEventID: strings.TrimSpace(si.ID),
		Raw:           raw,
		Auth:          &molehunt.AuthDetail{},
	}
	if ev.SourceEventID == "" {
		return nil, "id", errors.New("missing")
	}
	t, err := time.Parse(time.RFC3339Nano, si.CreatedDateTime)
	if err != nil {
		return ev, "createdDateTime", fmt.Errorf("not an ISO 8601 UTC time: %q", si.CreatedDateTime)
	}
	ev.Time = t.UTC()

	a := ev.Auth
	if s := strings.TrimSpace(si.IPAddress); s != "" {
		ip, err := ident.ParseIP(s)
		if err != nil {
			return ev, "ipAddress", err
		}
		a.IP = ip
	}
	a.UserAgent = strings.TrimSpace(si.UserAgent) // beta only
	a.Application = firstNonEmpty(si.AppDisplayName, si.ResourceDisplayName)
	if st := si.Status; st != nil && st.ErrorCode.set {
		a.Outcome = Outcome(st.ErrorCode.n)
		if a.Outcome != molehunt.AuthSuccess {
			a.Reason = strings.TrimSpace(st.FailureReason)
			if a.Reason == "" || strings.EqualFold(a.Reason, "Other.") {
				a.Reason = "AADSTS" + strconv.Itoa(st.ErrorCode.n)
			}
		}
	}
	if l := si.Location; l != nil {
		a.Geo = molehunt.Geo{Country: strings.ToUpper(strings.TrimSpace(l.CountryOrRegion)), Region: l.State, City: l.City}
		if g := l.GeoCoordinates; g != nil && g.Latitude != nil && g.Longitude != nil {
			a.Geo.Lat, a.Geo.Lon = *g.Latitude, *g.Longitude
		}
	}
	// The MFA step: the first authenticationDetails entry whose method is
	// a second factor, preferring one that succeeded; else mfaDetail
	// (v1.0). Graph gives the method's detail (a masked phone number, a
	// device name), never an authenticator id, so MFADevice is that text
	// and no IDMFADevice identifier is made of it.
	best := -1
	for i, d := range si.AuthenticationDetails {
		if factor(d.AuthenticationMethod) == "" {
			continue
		}
		if best < 0 || (d.Succeeded != nil && *d.Succeeded && !succeeded(si.AuthenticationDetails[best].Succeeded)) {
			best = i
		}
	}
	if best >= 0 {
		d := si.AuthenticationDetails[best]
		a.MFAFactor, a.MFADevice = factor(d.AuthenticationMethod), strings.TrimSpace(d.AuthenticationMethodDetail)
	} else if m := si.MFADetail; m != nil && factor(m.AuthMethod) != "" {
		a.MFAFactor, a.MFADevice = factor(m.AuthMethod), strings.TrimSpace(m.AuthDetail)
	}

	if upn := strings.TrimSpace(si.UserPrincipalName); upn != "" {
		id, err := canon.Identifier(molehunt.IDLogin, upn)
		if err != nil {
			return ev, "userPrincipalName", err
		}
		ev.Actor = append(ev.Actor, id)
		// A UPN is usually the user's mail address; guests' UPNs
		// ("x_gmail.com#EXT#@tenant") are not and are not taken as one.
		if strings.Contains(upn, "@") && !strings.Contains(upn, "#EXT#") {
			if id, err := canon.Identifier(molehunt.IDEmail, upn); err == nil {
				ev.Actor = append(ev.Actor, id)
			}
		}
	}
	if d := si.DeviceDetail; d != nil && strings.TrimSpace(d.DeviceID) != "" {
		// molehunt has no identifier kind for an identity provider's
		// device registration; it is kept as an MFA device with a prefix
		// that keeps it apart from authenticator ids (see formats notes).
		id, err := canon.Identifier(molehunt.IDMFADevice, DevicePrefix+strings.ToLower(strings.TrimSpace(d.DeviceID)))
		if err != nil {
			return ev, "deviceDetail.deviceId", err
		}
		ev.Actor = append(ev.Actor, id)
	}
	return ev, "", nil
}

// DevicePrefix starts the IDMFADevice value of an Entra device id.
const DevicePrefix = "entra-device:"

func succeeded(b *bool) bool { return b != nil && *b }

func unmarshal(raw []byte, v any) error {
	err := json.Unmarshal(raw, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &fieldError{te.Field, fmt.Errorf("want %s, got JSON %s", te.Type, te.Value)}
	}
	if err != nil {
		return fmt.Errorf("not a signIn object: %w", err)
	}
	return nil
}

type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

func fieldOf(err error) string {
	var fe *fieldError
	if errors.As(err, &fe) {
		return fe.field
	}
	return ""
}

// interrupts are the AADSTS codes with which Entra asks for more proof or
// a user action and then lets the sign-in go on: MFA required (50074,
// 50076), MFA or other registration required (50072, 50079), device
// authentication required (50097), external security challenge (50158),
// session or keep-me-signed-in prompts (50058, 50125, 50140, 50199) and
// account selection (16000, 16001).
var interrupts = map[int]bool{
	16000: true, 16001: true, 50058: true, 50072: true, 50074: true, 50076: true,
	50079: true, 50097: true, 50125: true, 50140: true, 50158: true, 50199: true,
}

// Outcome maps a sign-in's status.errorCode: 0 succeeded, an interrupt
// (see the package's formats notes) is a challenge, any other code
// failed.
func Outcome(code int) molehunt.AuthOutcome {
	switch {
	case code == 0:
		return molehunt.AuthSuccess
	case interrupts[code]:
		return molehunt.AuthChallenge
	}
	return molehunt.AuthFailure
}

// factor maps authenticationMethod names (authenticationDetails,
// mfaDetail.authMethod) to molehunt's factor vocabulary; "" for the
// first factor (password, federated or previously satisfied claims).
func factor(method string) string {
	m := strings.ToLower(strings.TrimSpace(method))
	switch {
	case m == "" || m == "password" || strings.Contains(m, "previously satisfied") ||
		strings.Contains(m, "federated") || strings.Contains(m, "single-factor"):
		return ""
	case strings.Contains(m, "notification") || strings.Contains(m, "passwordless phone"):
		return "push"
	case strings.Contains(m, "passkey"):
		return "passkey"
	case strings.Contains(m, "fido"):
		return "webauthn"
	case strings.Contains(m, "windows hello"):
		return "windows_hello"
	case strings.Contains(m, "oath") || strings.Contains(m, "verification code"):
		return "totp"
	case strings.Contains(m, "text message") || strings.Contains(m, "sms"):
		return "sms"
	case strings.Contains(m, "phone call") || strings.Contains(m, "voice"):
		return "voice"
	case strings.Contains(m, "certificate"):
		return "certificate"
	case strings.Contains(m, "temporary access pass"):
		return "temporary_access_pass"
	case strings.Contains(m, "email"):
		return "email"
	}
	return strings.ReplaceAll(m, " ", "_")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
