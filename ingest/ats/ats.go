// Package ats reads applicant-tracking records, Greenhouse Harvest
// candidates and Lever opportunities, into molehunt subjects and hr_change
// events.
//
// Greenhouse: the Harvest API v1 candidate object as documented in
// grnhse/greenhouse-api-docs (source/includes/harvest/_candidates.md): a
// "List Candidates" export (a JSON array, streamed), a "Retrieve
// Candidate" object, and the web hooks of source/includes/webhooks
// ({"action": "hire_candidate" | "application_updated" | "reject_candidate"
// | ..., "payload": {"application": {..., "candidate": {...}}}}).
//
// Lever: the Data API v1 opportunity object (hire.lever.co/developer/
// documentation, "Opportunities"): a list page {"data": [...], "hasNext",
// "next"} (the data array is streamed), a single {"data": {...}}, a bare
// array or one object per line.
//
// A candidate (or a Lever contact) becomes one Subject with canonical
// identifiers; application milestones become hr_change events tied to it
// by SubjectID. See /work/notes/formats-endpoint-ats.md for the mapping.
package ats

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
)

// Parser reads Greenhouse or Lever records, whichever its source says.
type Parser struct {
	source molehunt.Source
}

var _ ingest.Parser = (*Parser)(nil)

// New returns a Parser for source, molehunt.SourceGreenhouse or
// molehunt.SourceLever; Parse refuses any other source.
func New(source molehunt.Source) *Parser { return &Parser{source: source} }

// Source returns the source the parser was made for.
func (p *Parser) Source() molehunt.Source { return p.source }

// run is the state of one Parse call.
type run struct {
	source molehunt.Source
	opts   ingest.Options
	emit   func(ingest.Record) error
	n      int // records seen
}

// Parse reads r and emits, per candidate or opportunity, its Subject and
// then its hr_change events. A record that cannot be mapped becomes a
// reject; an identifier value that cannot be canonicalised (a phone
// number outside the numbering plan, a malformed e-mail address) is left
// out of the subject and reported as a reject naming the field, while the
// subject itself is still emitted.
func (p *Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	if p.source != molehunt.SourceGreenhouse && p.source != molehunt.SourceLever {
		return molehunt.Errorf(molehunt.EInvalid, "ats.Parse", "source %q: want greenhouse or lever", p.source)
	}
	if opts.Canon == nil {
		opts.Canon = &ident.Canonicalizer{Digester: opts.Digest, DefaultRegion: opts.DefaultRegion}
	} else if opts.DefaultRegion != "" && opts.Canon.DefaultRegion == "" {
		c := *opts.Canon
		c.DefaultRegion = opts.DefaultRegion
		opts.Canon = &c
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st := &run{source: p.source, opts: opts, emit: emit}
	handle := st.greenhouse
	if p.source == molehunt.SourceLever {
		handle = st.lever
	}
	return st.stream(ctx, r, p.source == molehunt.SourceLever, handle)
}

// stream calls handle for every record of r: the elements of a top-level
// array, each top-level object, and, when unwrapData is set, the elements
// of a top-level object's "data" array (or its "data" object). The first
// top-level array is streamed element by element, so memory is bounded by
// one record; a {"data": [...]} page is read whole, which Lever bounds to
// 100 records a page.
func (st *run) stream(ctx context.Context, r io.Reader, unwrapData bool, handle func(string, json.RawMessage) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	b, err := peekNonSpace(br)
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return st.fatal(err)
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	each := func(raw json.RawMessage) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		st.n++
		return handle(fmt.Sprintf("record %d", st.n), raw)
	}
	streamArray := func() error { // after '[' has been read
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return st.fatal(err)
			}
			if err := each(raw); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		if err != nil {
			return st.fatal(err)
		}
		return nil
	}
	if b == '[' {
		if _, err := dec.Token(); err != nil {
			return st.fatal(err)
		}
		if err := streamArray(); err != nil {
			return err
		}
	}
	// Anything after: more objects (one per line) or arrays.
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return st.fatal(err)
		}
		if unwrapData && len(raw) > 0 && raw[0] == '{' {
			var w struct {
				Data json.RawMessage `json:"data"`
			}
			if json.Unmarshal(raw, &w) == nil && len(w.Data) > 0 {
				raw = w.Data
			}
		}
		if err := st.value(raw, each); err != nil {
			return err
		}
	}
}

// value calls each for raw, or for each element when raw is an array.
func (st *run) value(raw json.RawMessage, each func(json.RawMessage) error) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return st.fatal(err)
		}
		for _, e := range elems {
			if err := each(e); err != nil {
				return err
			}
		}
		return nil
	}
	return each(raw)
}

func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n', 0xef, 0xbb, 0xbf: // white space, UTF-8 BOM
			br.ReadByte()
			continue
		}
		return b[0], nil
	}
}

// fatal reports a stream that can no longer be read.
func (st *run) fatal(err error) error {
	var re *molehunt.RecordError
	if errors.As(err, &re) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &molehunt.RecordError{File: st.opts.File, Record: fmt.Sprintf("record %d", st.n+1), Err: err}
}

func (st *run) reject(record, field string, err error) error {
	rj := molehunt.RejectOf(st.source, st.opts.File,
		&molehunt.RecordError{File: st.opts.File, Record: record, Field: field, Err: err})
	return st.emit(ingest.Record{Reject: &rj})
}

// out collects what one record yields, so that nothing is emitted for a
// record that fails half-way.
type out struct {
	st      *run
	rec     string
	subject *molehunt.Subject
	seen    map[molehunt.Identifier]bool
	events  []*molehunt.Event
	rejects []molehunt.Reject
}

func (st *run) newOut(rec string, s *molehunt.Subject) *out {
	return &out{st: st, rec: rec, subject: s, seen: map[molehunt.Identifier]bool{}}
}

// identifier adds a canonical identifier of kind k to the subject, or a
// field reject when raw cannot be canonicalised.
func (o *out) identifier(k molehunt.IdentifierKind, raw, field string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return
	}
	id, err := o.st.opts.Canon.Identifier(k, raw)
	if err != nil {
		o.fieldReject(field, err)
		return
	}
	o.add(id)
}

func (o *out) add(id molehunt.Identifier) {
	if !o.seen[id] {
		o.seen[id] = true
		o.subject.Identifiers = append(o.subject.Identifiers, id)
	}
}

func (o *out) fieldReject(field string, err error) {
	var me *molehunt.Error
	if errors.As(err, &me) && me.Err != nil {
		err = me.Err
	}
	o.rejects = append(o.rejects, molehunt.RejectOf(o.st.source, o.st.opts.File,
		&molehunt.RecordError{File: o.st.opts.File, Record: o.rec, Field: field, Err: fmt.Errorf("value left out: %w", unwrapRecord(err))}))
}

// address adds a free-text postal address to the subject and its
// canonical form as an identifier.
func (o *out) address(raw, field string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return
	}
	a := parseAddress(raw)
	o.subject.Addresses = append(o.subject.Addresses, a)
	na, err := ident.Address(a)
	if err != nil {
		o.fieldReject(field, err)
		return
	}
	id := molehunt.Identifier{Kind: molehunt.IDPostalAddress, Value: na.Full}
	if err := id.Validate(); err != nil {
		o.fieldReject(field, err)
		return
	}
	o.add(id)
}

// event adds an hr_change event about the subject.
func (o *out) event(sourceEventID string, t time.Time, field, newValue string, raw json.RawMessage) {
	o.events = append(o.events, &molehunt.Event{
		Kind:          molehunt.EventHRChange,
		Source:        o.st.source,
		SourceEventID: sourceEventID,
		Time:          t.UTC(),
		SubjectID:     o.subject.ID,
		HRChange:      &molehunt.HRChangeDetail{Field: field, New: newValue},
		Raw:           raw,
	})
}

// flush validates and emits the subject, its events and its field rejects;
// an invalid subject or event rejects the whole record.
func (o *out) flush() error {
	s := o.subject
	// Actor of every event: the subject's contact identifiers, so an
	// event still resolves if the subject id changes.
	var actor []molehunt.Identifier
	for _, id := range s.Identifiers {
		if id.Kind == molehunt.IDEmail || id.Kind == molehunt.IDPhone {
			actor = append(actor, id)
		}
	}
	if err := s.Validate(); err != nil {
		return o.st.reject(o.rec, fieldOf(err), unwrapRecord(err))
	}
	for _, e := range o.events {
		e.Actor = actor
		if err := e.Validate(); err != nil {
			return o.st.reject(o.rec, fieldOf(err), unwrapRecord(err))
		}
	}
	if err := o.st.emit(ingest.Record{Subject: s}); err != nil {
		return err
	}
	for _, e := range o.events {
		if err := o.st.emit(ingest.Record{Event: e}); err != nil {
			return err
		}
	}
	for i := range o.rejects {
		if err := o.st.emit(ingest.Record{Reject: &o.rejects[i]}); err != nil {
			return err
		}
	}
	return nil
}

func fieldOf(err error) string {
	var re *molehunt.RecordError
	if errors.As(err, &re) {
		return re.Field
	}
	return ""
}

func unwrapRecord(err error) error {
	var re *molehunt.RecordError
	if errors.As(err, &re) && re.Err != nil {
		return re.Err
	}
	return err
}

// text is a JSON scalar read as a string: ATS exports mix numbers and
// strings for ids, and null for absent values. Objects and arrays read
// as "".
type text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case '{', '[', 'n':
		*t = ""
	default:
		*t = text(b)
	}
	return nil
}

func (t text) String() string { return strings.TrimSpace(string(t)) }

// parseTime reads RFC 3339 (Greenhouse) times; zero when absent or bad.
func parseTime(s text) time.Time {
	v := s.String()
	if v == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parseMillis reads Lever's epoch-millisecond times; zero when absent.
func parseMillis(s text) time.Time {
	n, err := strconv.ParseInt(s.String(), 10, 64)
	if err != nil || n <= 0 || n > 1<<45 {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// stamp formats a time for an idempotency key.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

var cityStateZip = regexp.MustCompile(`^(.*?),?\s+([A-Za-z]{2})\.?\s+(\d{5}(?:-\d{4})?)$`)

// parseAddress splits a free-text address ("123 City Street\nNew York, Ny
// 10001") into a street line and, when the last line ends in "City, ST
// 12345", city, region and postal code; anything else stays in Note.
func parseAddress(s string) molehunt.Address {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return molehunt.Address{}
	}
	last := lines[len(lines)-1]
	m := cityStateZip.FindStringSubmatch(last)
	if m == nil {
		a := molehunt.Address{Street: lines[0]}
		if len(lines) > 1 {
			a.Note = strings.Join(lines[1:], ", ")
		}
		return a
	}
	a := molehunt.Address{Region: strings.ToUpper(m[2]), PostalCode: m[3]}
	if len(lines) == 1 {
		a.Street = strings.TrimSpace(m[1])
		if i := strings.LastIndexByte(a.Street, ','); i >= 0 {
			a.Street, a.City = strings.TrimSpace(a.Street[:i]), strings.TrimSpace(a.Street[i+1:])
		} // else street and city run together, as Greenhouse's docs show
	} else {
		a.Street = strings.Join(lines[:len(lines)-1], ", ")
		a.City = strings.TrimSpace(m[1])
	}
	return a
}

// compact returns raw without insignificant white space, for Event.Raw.
func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil
	}
	return b.Bytes()
}

func lowerContains(s string, subs ...string) bool {
	s = strings.ToLower(s)
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
