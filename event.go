package molehunt

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Source names the system a record came from. It is part of an event's
// idempotency key, so it must stay the same for every export of one system.
type Source string

// The sources molehunt reads. Other values are allowed (a connector of a
// customer's own system) if they pass Validate.
const (
	SourceOkta       Source = "okta"       // Okta System Log
	SourceEntra      Source = "entra"      // Microsoft Entra ID sign-in logs
	SourceGoogle     Source = "google"     // Google Workspace login audit
	SourceOsquery    Source = "osquery"    // osquery results logs
	SourceGreenhouse Source = "greenhouse" // Greenhouse candidates
	SourceLever      Source = "lever"      // Lever candidates
	SourcePayroll    Source = "payroll"    // payroll and bank-change exports
	SourceNACHA      Source = "nacha"      // NACHA ACH files
	SourceShipping   Source = "shipping"   // equipment shipping records
	SourcePersona    Source = "persona"    // Persona identity verification
	SourceJSONL      Source = "jsonl"      // molehunt's canonical JSON Lines
	SourceCSV        Source = "csv"        // molehunt's canonical subject CSV
	SourceGen        Source = "gen"        // the organisation generator
)

// Validate accepts 1–64 bytes of lower-case ASCII letters, digits, '_',
// '-' and '.', so a source is safe in file names, URLs and metrics labels.
func (s Source) Validate() error {
	if s == "" || len(s) > 64 {
		return fmt.Errorf("source %q: want 1 to 64 characters", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' && c != '-' && c != '.' {
			return fmt.Errorf("source %q: want lower-case letters, digits, '_', '-' or '.'", s)
		}
	}
	return nil
}

// EventKind is what an event observed, close to the OCSF class it maps to.
type EventKind string

// The event kinds. Exactly one detail struct of Event, the one named by
// its kind, is set.
const (
	EventAuthentication       EventKind = "authentication"        // a login attempt (OCSF Authentication)
	EventEndpoint             EventKind = "endpoint"              // a fact seen on a device: process, program, USB device, ...
	EventPayment              EventKind = "payment"               // money sent to a payee
	EventPayrollChange        EventKind = "payroll_change"        // bank details of a payee changed
	EventShipment             EventKind = "shipment"              // equipment sent to an address
	EventInterview            EventKind = "interview"             // a hiring interview took place
	EventHRChange             EventKind = "hr_change"             // an HR record field changed
	EventIdentityVerification EventKind = "identity_verification" // a document/selfie/liveness check
)

// EventKinds lists every event kind, in a stable order.
var EventKinds = []EventKind{
	EventAuthentication, EventEndpoint, EventPayment, EventPayrollChange,
	EventShipment, EventInterview, EventHRChange, EventIdentityVerification,
}

// Valid reports whether k is one of the event kinds.
func (k EventKind) Valid() bool {
	for _, v := range EventKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Event is one timestamped observation from a source. It is stored once per
// (Source, SourceEventID): a repeated delivery is absorbed as a duplicate.
//
// An event may arrive before anyone knows whose it is: SubjectID is empty
// until resolution matches one of its Actor identifiers to a subject.
// Unresolved events are kept and reported, never dropped.
type Event struct {
	// ID is EventID(Source, SourceEventID); stores fill it when empty.
	ID     string    `json:"id"`
	Kind   EventKind `json:"kind"`
	Source Source    `json:"source"`
	// SourceEventID is the source's own id of the record (Okta uuid, Entra
	// sign-in id, osquery name+counter+row hash, NACHA trace number): the
	// idempotency key together with Source.
	SourceEventID string `json:"source_event_id"`
	// Time is when the observed thing happened, per the source.
	Time time.Time `json:"time"`
	// SubjectID is the subject the event belongs to, "" when unresolved.
	SubjectID string `json:"subject_id,omitempty"`
	// Actor holds the canonical identifiers the source gave for who or what
	// acted (login, email, device serial, account digest, ...); resolution
	// looks them up with SubjectStore.FindSubjects.
	Actor []Identifier `json:"actor,omitempty"`

	Auth                 *AuthDetail                 `json:"auth,omitempty"`
	Endpoint             *EndpointDetail             `json:"endpoint,omitempty"`
	Payment              *PaymentDetail              `json:"payment,omitempty"`
	PayrollChange        *PayrollChangeDetail        `json:"payroll_change,omitempty"`
	Shipment             *ShipmentDetail             `json:"shipment,omitempty"`
	Interview            *InterviewDetail            `json:"interview,omitempty"`
	HRChange             *HRChangeDetail             `json:"hr_change,omitempty"`
	IdentityVerification *IdentityVerificationDetail `json:"identity_verification,omitempty"`

	// Raw is the source's record as received (one JSON value; parsers of
	// non-JSON formats wrap their record in a JSON object), kept so that
	// evidence can always be shown in the source's own words.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// EventID returns molehunt's id of an event: its idempotency key written
// as "<source>:<source event id>" ("okta:3f1a…"). The same source record
// always gets the same id, in every store and replica, and the id leads
// straight back to the source's own record. It needs no index of its own,
// which keeps batch inserts fast.
func EventID(source Source, sourceEventID string) string {
	return string(source) + ":" + sourceEventID
}

// ParseEventID splits an id made by EventID; ok is false if id cannot be
// one (a Source never contains ':').
func ParseEventID(id string) (source Source, sourceEventID string, ok bool) {
	src, sid, ok := strings.Cut(id, ":")
	if !ok || Source(src).Validate() != nil || sid == "" {
		return "", "", false
	}
	return Source(src), sid, true
}

// AuthOutcome is the result of an authentication attempt.
type AuthOutcome string

// The authentication outcomes.
const (
	AuthUnknown   AuthOutcome = ""
	AuthSuccess   AuthOutcome = "success"
	AuthFailure   AuthOutcome = "failure"
	AuthChallenge AuthOutcome = "challenge" // more proof asked for (MFA prompt, risk step-up)
)

// Geo is a location as a source states it (an identity provider's geo-IP
// lookup, a user's claim). It is the source's claim, not molehunt's
// enrichment, which is computed separately from the IP.
type Geo struct {
	Country string  `json:"country,omitempty"` // ISO 3166-1 alpha-2 when the source gives one
	Region  string  `json:"region,omitempty"`
	City    string  `json:"city,omitempty"`
	Lat     float64 `json:"lat,omitempty"`
	Lon     float64 `json:"lon,omitempty"`
}

// AuthDetail describes an authentication event.
type AuthDetail struct {
	IP        netip.Addr  `json:"ip,omitzero"`
	UserAgent string      `json:"user_agent,omitempty"`
	Outcome   AuthOutcome `json:"outcome,omitempty"`
	// Reason is the source's reason for a failure or challenge.
	Reason string `json:"reason,omitempty"`
	// Application is the app or resource signed in to.
	Application string `json:"application,omitempty"`
	// MFAFactor is the factor type used ("push", "totp", "sms", "webauthn",
	// ...); MFADevice is the source's id or name of the authenticator.
	MFAFactor string `json:"mfa_factor,omitempty"`
	MFADevice string `json:"mfa_device,omitempty"`
	// Geo is the location the source attached to the IP.
	Geo Geo `json:"geo,omitzero"`
}

// EndpointCategory says what kind of fact an endpoint event reports.
type EndpointCategory string

// The endpoint categories, after the osquery tables they come from.
const (
	EndpointProcess    EndpointCategory = "process"     // a running process (processes)
	EndpointProgram    EndpointCategory = "program"     // an installed program or app (programs, apps, deb_packages)
	EndpointUSBDevice  EndpointCategory = "usb_device"  // a USB device attached (usb_devices)
	EndpointKeyboard   EndpointCategory = "keyboard"    // a keyboard layout configured
	EndpointLocale     EndpointCategory = "locale"      // the system locale
	EndpointTimeZone   EndpointCategory = "time_zone"   // the system time zone
	EndpointSystemInfo EndpointCategory = "system_info" // hardware and OS facts (system_info)
)

// EndpointCategories lists every endpoint category, in a stable order.
var EndpointCategories = []EndpointCategory{
	EndpointProcess, EndpointProgram, EndpointUSBDevice, EndpointKeyboard,
	EndpointLocale, EndpointTimeZone, EndpointSystemInfo,
}

// Valid reports whether c is one of the endpoint categories.
func (c EndpointCategory) Valid() bool {
	for _, v := range EndpointCategories {
		if c == v {
			return true
		}
	}
	return false
}

// EndpointDetail describes one fact observed on a device. Which fields are
// set depends on Category: Name/Path for processes and programs,
// VendorID/ProductID/Vendor/Product for USB devices (an IP-KVM shows here),
// Layout for keyboard and locale, Zone for time zone; Vendor/Product/Name
// for system_info (manufacturer, model, OS).
type EndpointDetail struct {
	Host         string           `json:"host,omitempty"`
	DeviceSerial string           `json:"device_serial,omitempty"` // canonical, as IDDeviceSerial
	HardwareUUID string           `json:"hardware_uuid,omitempty"` // canonical, as IDHardwareUUID
	Category     EndpointCategory `json:"category"`
	// Action is "added" or "removed" for osquery differential results, ""
	// for a snapshot.
	Action    string `json:"action,omitempty"`
	Name      string `json:"name,omitempty"`
	Path      string `json:"path,omitempty"`
	Version   string `json:"version,omitempty"`
	VendorID  string `json:"vendor_id,omitempty"`  // USB vendor id, 4 lower hex digits
	ProductID string `json:"product_id,omitempty"` // USB product id, 4 lower hex digits
	Vendor    string `json:"vendor,omitempty"`
	Product   string `json:"product,omitempty"`
	Layout    string `json:"layout,omitempty"` // keyboard layout or locale name
	Zone      string `json:"zone,omitempty"`   // time zone name or offset
}

// PaymentRail is the network a payment travelled on.
type PaymentRail string

// The payment rails.
const (
	RailACH    PaymentRail = "ach"
	RailWire   PaymentRail = "wire"
	RailSEPA   PaymentRail = "sepa"
	RailSWIFT  PaymentRail = "swift"
	RailCard   PaymentRail = "card"
	RailCheck  PaymentRail = "check"
	RailCrypto PaymentRail = "crypto"
	RailOther  PaymentRail = "other"
)

// PaymentDetail describes money sent to a payee. The account appears only
// as a keyed digest (IDBankAccount form); routing numbers and BICs name a
// bank, not a person, and are kept in clear.
type PaymentDetail struct {
	PayeeName     string `json:"payee_name,omitempty"`
	AccountDigest string `json:"account_digest,omitempty"`
	Routing       string `json:"routing,omitempty"`
	// AmountMinor is the amount in the currency's minor unit (cents for USD).
	AmountMinor int64       `json:"amount_minor"`
	Currency    string      `json:"currency,omitempty"` // ISO 4217
	Rail        PaymentRail `json:"rail,omitempty"`
}

// PayrollChangeDetail describes a change of a payee's bank details; a
// change soon after onboarding is a classic facilitator sign.
type PayrollChangeDetail struct {
	OldAccountDigest string `json:"old_account_digest,omitempty"`
	NewAccountDigest string `json:"new_account_digest,omitempty"`
	NewRouting       string `json:"new_routing,omitempty"`
	HolderName       string `json:"holder_name,omitempty"`
}

// ShipmentDetail describes equipment sent to an address.
type ShipmentDetail struct {
	Address  Address `json:"address"`
	AssetTag string  `json:"asset_tag,omitempty"`
	Serial   string  `json:"serial,omitempty"` // canonical, as IDDeviceSerial
	Carrier  string  `json:"carrier,omitempty"`
	Tracking string  `json:"tracking,omitempty"`
}

// VideoState says whether a candidate's camera was on in an interview.
type VideoState string

// The video states.
const (
	VideoUnknown VideoState = ""
	VideoOn      VideoState = "on"
	VideoOff     VideoState = "off"
)

// InterviewDetail describes a hiring interview.
type InterviewDetail struct {
	Video           VideoState `json:"video,omitempty"`
	ClaimedLocation string     `json:"claimed_location,omitempty"`
	ClaimedCountry  string     `json:"claimed_country,omitempty"` // ISO 3166-1 alpha-2
	Interviewer     string     `json:"interviewer,omitempty"`
}

// HRChangeDetail describes one changed field of an HR record.
type HRChangeDetail struct {
	Field string `json:"field"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
}

// CheckOutcome is the result of one identity-verification check.
type CheckOutcome string

// The check outcomes.
const (
	CheckNotRun      CheckOutcome = ""
	CheckPassed      CheckOutcome = "passed"
	CheckFailed      CheckOutcome = "failed"
	CheckNeedsReview CheckOutcome = "needs_review"
)

// IdentityVerificationDetail describes a vendor's identity check (a Persona
// inquiry, for example): its document, selfie and liveness results.
type IdentityVerificationDetail struct {
	Vendor          string       `json:"vendor"`
	InquiryID       string       `json:"inquiry_id,omitempty"`
	DocumentType    string       `json:"document_type,omitempty"`
	DocumentCountry string       `json:"document_country,omitempty"`
	Document        CheckOutcome `json:"document,omitempty"`
	Selfie          CheckOutcome `json:"selfie,omitempty"`
	Liveness        CheckOutcome `json:"liveness,omitempty"`
	// Status is the vendor's overall status in its own words ("approved",
	// "declined", "needs_review", ...).
	Status string `json:"status,omitempty"`
}

// MaxRawLen bounds an event's raw payload in bytes.
const MaxRawLen = 1 << 20

// Validate reports the first problem that makes e unfit to store, as a
// *RecordError naming the field. An empty ID is accepted (stores fill it);
// any other must be EventID(Source, SourceEventID).
func (e *Event) Validate() error {
	rec := "event " + EventID(e.Source, e.SourceEventID)
	fail := func(field string, err error) error { return &RecordError{Record: rec, Field: field, Err: err} }
	if !e.Kind.Valid() {
		return fail("kind", fmt.Errorf("unknown event kind %q", e.Kind))
	}
	if err := e.Source.Validate(); err != nil {
		return fail("source", err)
	}
	if err := checkID(e.SourceEventID); err != nil {
		return fail("source_event_id", err)
	}
	if e.ID != "" && e.ID != EventID(e.Source, e.SourceEventID) {
		return fail("id", fmt.Errorf("%q is not EventID(source, source_event_id)", e.ID))
	}
	if e.Time.IsZero() {
		return fail("time", errors.New("missing"))
	}
	if e.SubjectID != "" {
		if err := checkID(e.SubjectID); err != nil {
			return fail("subject_id", err)
		}
	}
	for i, id := range e.Actor {
		if err := id.Validate(); err != nil {
			return fail(fmt.Sprintf("actor[%d]", i), unwrapRecord(err))
		}
	}
	details := []struct {
		kind  EventKind
		field string
		set   bool
	}{
		{EventAuthentication, "auth", e.Auth != nil},
		{EventEndpoint, "endpoint", e.Endpoint != nil},
		{EventPayment, "payment", e.Payment != nil},
		{EventPayrollChange, "payroll_change", e.PayrollChange != nil},
		{EventShipment, "shipment", e.Shipment != nil},
		{EventInterview, "interview", e.Interview != nil},
		{EventHRChange, "hr_change", e.HRChange != nil},
		{EventIdentityVerification, "identity_verification", e.IdentityVerification != nil},
	}
	for _, d := range details {
		switch {
		case d.kind == e.Kind && !d.set:
			return fail(d.field, fmt.Errorf("missing for a %s event", e.Kind))
		case d.kind != e.Kind && d.set:
			return fail(d.field, fmt.Errorf("set on a %s event", e.Kind))
		}
	}
	if field, err := e.validateDetail(); err != nil {
		return fail(field, err)
	}
	if len(e.Raw) > MaxRawLen {
		return fail("raw", fmt.Errorf("%d bytes, more than %d", len(e.Raw), MaxRawLen))
	}
	if len(e.Raw) > 0 && !json.Valid(e.Raw) {
		return fail("raw", errors.New("not valid JSON"))
	}
	return nil
}

// validateDetail checks the enumerations and digests inside the detail.
func (e *Event) validateDetail() (string, error) {
	digest := func(field, v string) (string, error) {
		if v == "" {
			return "", nil
		}
		if err := (Identifier{Kind: IDBankAccount, Value: v}).Validate(); err != nil {
			return field, unwrapRecord(err)
		}
		return "", nil
	}
	switch e.Kind {
	case EventAuthentication:
		switch e.Auth.Outcome {
		case AuthUnknown, AuthSuccess, AuthFailure, AuthChallenge:
		default:
			return "auth.outcome", fmt.Errorf("unknown outcome %q", e.Auth.Outcome)
		}
	case EventEndpoint:
		if !e.Endpoint.Category.Valid() {
			return "endpoint.category", fmt.Errorf("unknown category %q", e.Endpoint.Category)
		}
		switch e.Endpoint.Action {
		case "", "added", "removed":
		default:
			return "endpoint.action", fmt.Errorf("want added, removed or empty, got %q", e.Endpoint.Action)
		}
	case EventPayment:
		switch e.Payment.Rail {
		case "", RailACH, RailWire, RailSEPA, RailSWIFT, RailCard, RailCheck, RailCrypto, RailOther:
		default:
			return "payment.rail", fmt.Errorf("unknown rail %q", e.Payment.Rail)
		}
		if c := e.Payment.Currency; c != "" && !isCurrencyCode(c) {
			return "payment.currency", fmt.Errorf("%q is not an ISO 4217 code", c)
		}
		return digest("payment.account_digest", e.Payment.AccountDigest)
	case EventPayrollChange:
		if f, err := digest("payroll_change.old_account_digest", e.PayrollChange.OldAccountDigest); err != nil {
			return f, err
		}
		return digest("payroll_change.new_account_digest", e.PayrollChange.NewAccountDigest)
	case EventInterview:
		switch e.Interview.Video {
		case VideoUnknown, VideoOn, VideoOff:
		default:
			return "interview.video", fmt.Errorf("want on, off or empty, got %q", e.Interview.Video)
		}
	case EventHRChange:
		if e.HRChange.Field == "" {
			return "hr_change.field", errors.New("empty")
		}
	case EventIdentityVerification:
		if e.IdentityVerification.Vendor == "" {
			return "identity_verification.vendor", errors.New("empty")
		}
		for field, o := range map[string]CheckOutcome{
			"identity_verification.document": e.IdentityVerification.Document,
			"identity_verification.selfie":   e.IdentityVerification.Selfie,
			"identity_verification.liveness": e.IdentityVerification.Liveness,
		} {
			switch o {
			case CheckNotRun, CheckPassed, CheckFailed, CheckNeedsReview:
			default:
				return field, fmt.Errorf("unknown outcome %q", o)
			}
		}
	}
	return "", nil
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Reject is a record an ingestion run refused, with where it was and why,
// for the rejects report. Reason is a message fit to show the user.
type Reject struct {
	Source Source `json:"source,omitempty"`
	File   string `json:"file"`
	Record string `json:"record,omitempty"` // "line 12", an element path, a source id
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// RejectOf turns a parser's or a Validate method's error into a Reject,
// keeping the file, record and field of a *RecordError in its chain.
func RejectOf(source Source, file string, err error) Reject {
	r := Reject{Source: source, File: file, Reason: "unknown error"}
	if err == nil {
		return r
	}
	r.Reason = err.Error()
	var re *RecordError
	if errors.As(err, &re) {
		if re.File != "" {
			r.File = re.File
		}
		r.Record, r.Field = re.Record, re.Field
		if re.Err != nil {
			r.Reason = re.Err.Error()
		}
	}
	return r
}
