// Package persona reads Persona inquiry web hooks into identity_verification
// events.
//
// It follows Persona's public API documentation (docs.withpersona.com,
// "Webhooks Overview" and "Inquiry Events", API versions 2021-07-05 to
// 2025-12-08): a JSON:API event {"data": {"type": "event", "id": "evt_...",
// "attributes": {"name": "inquiry.completed" | "inquiry.approved" | ...,
// "created-at", "payload": {"data": <inquiry>, "included": [<verification>,
// ...]}}}}, where each included verification ("verification/government-id",
// "verification/selfie", ...) carries its status and checks. The response
// of "Retrieve an Inquiry" ({"data": <inquiry>, "included": [...]}) is read
// the same way. Input may hold one such object, a JSON array of them or
// one per line. Events about other resources (accounts, cases, reports)
// are skipped.
//
// Government ID numbers (identification-number and the legacy
// driver-license-number / passport-number fields) never leave the parser
// in clear: the number becomes a government_id keyed digest in Actor and
// is replaced by "[redacted]" everywhere in Raw.
package persona

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
)

// Vendor is the IdentityVerificationDetail.Vendor of every event.
const Vendor = "persona"

// Redacted replaces government ID numbers in Raw.
const Redacted = "[redacted]"

// Parser reads Persona web hooks and inquiry responses.
type Parser struct{}

var _ ingest.Parser = (*Parser)(nil)

// New returns a Parser.
func New() *Parser { return &Parser{} }

// Source returns molehunt.SourcePersona.
func (p *Parser) Source() molehunt.Source { return molehunt.SourcePersona }

type run struct {
	opts ingest.Options
	emit func(ingest.Record) error
	n    int
}

// Parse reads r and emits one identity_verification event per inquiry
// event; a record that cannot be mapped becomes a reject.
func (p *Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	if opts.Canon == nil {
		opts.Canon = &ident.Canonicalizer{Digester: opts.Digest, DefaultRegion: opts.DefaultRegion}
	} else if opts.DefaultRegion != "" && opts.Canon.DefaultRegion == "" {
		c := *opts.Canon
		c.DefaultRegion = opts.DefaultRegion
		opts.Canon = &c
	}
	if opts.Digest == nil {
		opts.Digest = opts.Canon.Digester
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st := &run{opts: opts, emit: emit}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.UseNumber()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &molehunt.RecordError{File: opts.File, Record: fmt.Sprintf("record %d", st.n+1), Err: err}
		}
		elems := []json.RawMessage{raw}
		if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '[' {
			elems = nil
			if err := json.Unmarshal(raw, &elems); err != nil {
				return &molehunt.RecordError{File: opts.File, Record: fmt.Sprintf("record %d", st.n+1), Err: err}
			}
		}
		for _, e := range elems {
			st.n++
			if err := st.record(fmt.Sprintf("record %d", st.n), e); err != nil {
				return err
			}
		}
	}
}

func (st *run) reject(record, field string, err error) error {
	rj := molehunt.RejectOf(molehunt.SourcePersona, st.opts.File,
		&molehunt.RecordError{File: st.opts.File, Record: record, Field: field, Err: err})
	return st.emit(ingest.Record{Reject: &rj})
}

// resource is a JSON:API resource object.
type resource struct {
	Type          string                     `json:"type"`
	ID            string                     `json:"id"`
	Attributes    map[string]json.RawMessage `json:"attributes"`
	Relationships map[string]struct {
		Data json.RawMessage `json:"data"`
	} `json:"relationships"`
}

type document struct {
	Data     json.RawMessage `json:"data"`
	Included []resource      `json:"included"`
}

func (st *run) record(rec string, raw json.RawMessage) error {
	var doc document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return st.reject(rec, "", fmt.Errorf("not a Persona JSON:API document: %v", err))
	}
	var top resource
	if err := json.Unmarshal(doc.Data, &top); err != nil || top.Type == "" {
		return st.reject(rec, "data", errors.New("want a resource object with a type"))
	}
	var (
		inquiry   resource
		included  []resource
		eventID   string
		eventName string
		at        time.Time
	)
	switch top.Type {
	case "event":
		eventID, eventName = top.ID, str(top.Attributes["name"])
		rec = fmt.Sprintf("%s (event %s)", rec, eventID)
		if eventID == "" {
			return st.reject(rec, "data.id", errors.New("missing event id"))
		}
		if !strings.HasPrefix(eventName, "inquiry.") {
			return nil // accounts, cases, reports, verifications: not read
		}
		var payload document
		if err := json.Unmarshal(top.Attributes["payload"], &payload); err != nil {
			return st.reject(rec, "data.attributes.payload", errors.New("want {data, included}"))
		}
		if err := json.Unmarshal(payload.Data, &inquiry); err != nil || inquiry.Type != "inquiry" {
			return st.reject(rec, "data.attributes.payload.data", errors.New("want an inquiry"))
		}
		included = payload.Included
		at = parseTime(str(top.Attributes["created-at"]))
	case "inquiry":
		inquiry, included = top, doc.Included
		rec = fmt.Sprintf("%s (inquiry %s)", rec, inquiry.ID)
	default:
		return nil
	}
	if inquiry.ID == "" {
		return st.reject(rec, "inquiry.id", errors.New("missing inquiry id"))
	}
	a := inquiry.Attributes
	status := str(a["status"])
	at = firstTime(at, parseTime(str(a["decisioned-at"])), parseTime(str(a["completed-at"])),
		parseTime(str(a["failed-at"])), parseTime(str(a["updated-at"])), parseTime(str(a["created-at"])), st.opts.Now())
	if eventID == "" {
		// An inquiry read from the API has no event id: its state at a
		// time is the observation.
		eventID = "inquiry:" + inquiry.ID + ":" + safe(status) + ":" + at.Format(time.RFC3339Nano)
	}

	d := &molehunt.IdentityVerificationDetail{Vendor: Vendor, InquiryID: inquiry.ID, Status: status}
	ev := &molehunt.Event{
		Kind:                 molehunt.EventIdentityVerification,
		Source:               molehunt.SourcePersona,
		SourceEventID:        eventID,
		Time:                 at,
		IdentityVerification: d,
	}
	seen := map[molehunt.Identifier]bool{}
	add := func(k molehunt.IdentifierKind, v string) {
		if strings.TrimSpace(v) == "" {
			return
		}
		id, err := st.opts.Canon.Identifier(k, v)
		if err == nil && !seen[id] {
			seen[id] = true
			ev.Actor = append(ev.Actor, id)
		}
	}
	add(molehunt.IDEmail, first(str(a["email-address"]), field(a, "email-address")))
	add(molehunt.IDPhone, first(str(a["phone-number"]), field(a, "phone-number")))
	add(molehunt.IDLogin, str(a["reference-id"]))

	// Verifications: the inquiry lists them in creation order; the last of
	// each type is the attempt that counts.
	byID := map[string]resource{}
	for _, r := range included {
		byID[r.Type+"/"+r.ID] = r
	}
	var gov, selfie *resource
	for _, ref := range verificationRefs(inquiry) {
		r, ok := byID[ref]
		if !ok {
			continue
		}
		switch r.Type {
		case "verification/government-id", "verification/government-id-nfc":
			gov = &r
		case "verification/selfie":
			selfie = &r
		}
	}
	if len(verificationRefs(inquiry)) == 0 { // no relationships: use included order
		for i := range included {
			switch included[i].Type {
			case "verification/government-id", "verification/government-id-nfc":
				gov = &included[i]
			case "verification/selfie":
				selfie = &included[i]
			}
		}
	}
	if gov != nil {
		ga := gov.Attributes
		d.Document = outcome(str(ga["status"]))
		d.DocumentType = docType(str(ga["id-class"]))
		d.DocumentCountry = strings.ToUpper(str(ga["issuing-country"]))
		if num := first(str(ga["identification-number"]), str(ga["driver-license-number"]), str(ga["passport-number"])); num != "" && st.opts.Digest != nil {
			if v, err := st.opts.Digest.GovernmentID(d.DocumentCountry, d.DocumentType, num); err == nil {
				id := molehunt.Identifier{Kind: molehunt.IDGovernmentID, Value: v}
				if !seen[id] {
					seen[id] = true
					ev.Actor = append(ev.Actor, id)
				}
			}
		}
		if d.Liveness == "" {
			d.Liveness = checkOutcome(ga["checks"], "id_liveness", "liveness")
		}
	}
	if selfie != nil {
		d.Selfie = outcome(str(selfie.Attributes["status"]))
		if l := checkOutcome(selfie.Attributes["checks"], "selfie_liveness_detection", "liveness"); l != "" {
			d.Liveness = l
		}
	}

	ev.Raw, _ = redact(raw)
	if err := ev.Validate(); err != nil {
		var re *molehunt.RecordError
		f := ""
		if errors.As(err, &re) {
			f, err = re.Field, re.Err
		}
		return st.reject(rec, f, err)
	}
	return st.emit(ingest.Record{Event: ev})
}

// verificationRefs returns "type/id" of the inquiry's verifications.
func verificationRefs(inq resource) []string {
	rel, ok := inq.Relationships["verifications"]
	if !ok {
		return nil
	}
	var refs []struct{ Type, ID string }
	if json.Unmarshal(rel.Data, &refs) != nil {
		return nil
	}
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		out = append(out, r.Type+"/"+r.ID)
	}
	return out
}

// outcome maps a verification status: passed and failed as they are;
// requires_retry (the attempt failed, another may follow) as failed;
// initiated, submitted, confirmed and canceled as not run.
func outcome(status string) molehunt.CheckOutcome {
	switch strings.ToLower(status) {
	case "passed":
		return molehunt.CheckPassed
	case "failed", "requires_retry":
		return molehunt.CheckFailed
	case "needs_review", "pending_review":
		return molehunt.CheckNeedsReview
	}
	return molehunt.CheckNotRun
}

// checkOutcome returns the outcome of the first check whose name is one
// of names or contains the last of them; "" when none ran.
func checkOutcome(raw json.RawMessage, names ...string) molehunt.CheckOutcome {
	var checks []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	}
	if json.Unmarshal(raw, &checks) != nil {
		return ""
	}
	for _, c := range checks {
		match := false
		for _, n := range names[:len(names)-1] {
			match = match || c.Name == n
		}
		if match || strings.Contains(c.Name, names[len(names)-1]) {
			return outcome(c.Status)
		}
	}
	return ""
}

// docTypes maps Persona id-class codes to the document types used in
// government_id digests, so a passport seen by Persona and by a payroll
// file digest alike.
var docTypes = map[string]string{
	"pp": "passport", "ppc": "passport_card", "dl": "drivers_license", "id": "national_id",
	"rp": "residence_permit", "pr": "permanent_residence", "wp": "work_permit", "visa": "visa",
	"cct": "citizenship_certificate", "cid": "consular_id", "vid": "voter_id", "myn": "my_number",
	"nric": "national_id", "pan": "pan", "sss": "sss", "umid": "umid",
}

func docType(class string) string {
	c := strings.ToLower(strings.TrimSpace(class))
	if t, ok := docTypes[c]; ok {
		return t
	}
	return c
}

// sensitive are the keys whose values are government ID numbers, in any
// API version (kebab-case by default, snake or camel case when the
// Key-Inflection header asks for it).
var sensitive = map[string]bool{}

func init() {
	for _, k := range []string{"identification-number", "identification-numbers", "driver-license-number",
		"passport-number", "social-security-number", "ssn", "national-id-number", "tax-id-number"} {
		sensitive[k] = true
		sensitive[strings.ReplaceAll(k, "-", "_")] = true
		parts := strings.Split(k, "-")
		for i := 1; i < len(parts); i++ {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
		sensitive[strings.Join(parts, "")] = true
	}
}

// redact returns raw with every sensitive key's value replaced by
// Redacted, at any depth (inquiry attributes, "fields", verifications).
// Key order is not kept: the object is re-encoded with sorted keys.
func redact(raw json.RawMessage) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	v = redactValue(v)
	return json.Marshal(v)
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if sensitive[k] && e != nil {
				x[k] = Redacted
				continue
			}
			x[k] = redactValue(e)
		}
	case []any:
		for i, e := range x {
			x[i] = redactValue(e)
		}
	}
	return v
}

// str returns a JSON string's value, or "" for anything else.
func str(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

// field returns an inquiry "fields" entry's value: {"fields": {"name":
// {"type": "string", "value": "..."}}}.
func field(a map[string]json.RawMessage, name string) string {
	var fields map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(a["fields"], &fields) != nil {
		return ""
	}
	return str(fields[name].Value)
}

func parseTime(s string) time.Time {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t.UTC()
		}
	}
	return time.Time{}
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// safe keeps a status usable in an id; odd values become a short hash.
func safe(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			sum := sha256.Sum256([]byte(s))
			return "#" + hex.EncodeToString(sum[:8])
		}
	}
	return s
}
