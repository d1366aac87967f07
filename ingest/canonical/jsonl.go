// Package canonical reads molehunt's own documented formats, the ones a
// customer writes when no vendor parser fits (docs/formats.md, with JSON
// Schemas in docs/schema/):
//
//   - JSON Lines of subjects and events (Parser): one object per line,
//     {"type": "subject", ...molehunt.Subject fields} or {"type": "event",
//     ...molehunt.Event fields}. Identifiers (a subject's "identifiers",
//     an event's "actor") are either objects {"kind": "email", "value":
//     "..."} or strings "email:..."; both are canonicalised on the way in
//     (ident.Canonicalizer), so a bank account may be given as
//     "bank_account:<routing>:<account>" or an IBAN and is stored only as
//     its keyed digest. Unknown keys are refused, so a typo is a reject,
//     not a silently dropped field. An event without a source gets
//     "jsonl"; its time is kept in UTC. Detail fields are taken as given
//     and must already be canonical (digests, serials).
//   - Subjects as CSV (SubjectCSVParser), described in subjectcsv.go.
//
// A bad line or row becomes a molehunt.Reject naming the line and field;
// the rest is read.
package canonical

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
)

// MaxLineLen bounds one JSON line: an event's raw payload may reach
// molehunt.MaxRawLen, and the rest of the event fits in the remainder.
const MaxLineLen = molehunt.MaxRawLen + 1<<20

// Parser reads subjects and events as JSON Lines.
type Parser struct{}

var _ ingest.Parser = (*Parser)(nil)

// New returns a JSON Lines parser.
func New() *Parser { return &Parser{} }

// Source returns molehunt.SourceJSONL.
func (*Parser) Source() molehunt.Source { return molehunt.SourceJSONL }

// Parse reads JSON Lines from r and emits a subject or an event per line.
func (*Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	canon := canonicalizer(opts)
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for line := 1; ; line++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf = buf[:0]
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if len(buf)+len(chunk) > MaxLineLen {
				tooLong = true
			} else {
				buf = append(buf, chunk...)
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("canonical: read %s: %w", opts.File, err)
		}
		eof := errors.Is(err, io.EOF)
		text := bytes.TrimSpace(buf)
		switch {
		case tooLong:
			if err := emit(reject(opts.File, line, "", fmt.Errorf("line longer than %d bytes", MaxLineLen))); err != nil {
				return err
			}
		case len(text) > 0:
			rec, field, err := decodeLine(text, canon)
			if err != nil {
				rec = reject(opts.File, line, field, err)
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
		if eof {
			return nil
		}
	}
}

func canonicalizer(opts ingest.Options) *ident.Canonicalizer {
	if opts.Canon != nil {
		return opts.Canon
	}
	return &ident.Canonicalizer{Digester: opts.Digest, DefaultRegion: opts.DefaultRegion}
}

func reject(file string, line int, field string, err error) ingest.Record {
	r := molehunt.RejectOf(molehunt.SourceJSONL, file, err)
	r.File = file
	r.Record = fmt.Sprintf("line %d", line)
	if field != "" {
		r.Field = field
	}
	return ingest.Record{Reject: &r}
}

// decodeLine turns one line into a record, or the field and error of why
// not. It decodes the line once into the record's type (after a cheap look
// at "type"), strictly: an unknown key is an error naming it.
func decodeLine(text []byte, canon *ident.Canonicalizer) (ingest.Record, string, error) {
	var head struct {
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(text, &head); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "type" {
			return ingest.Record{}, "type", errors.New(`want "subject" or "event"`)
		}
		return ingest.Record{}, "", fmt.Errorf("not a JSON object: %w", err)
	}
	if head.Type == nil {
		return ingest.Record{}, "type", errors.New(`want "subject" or "event"`)
	}
	switch *head.Type {
	case "subject":
		var line subjectLine
		if field, err := strictDecode(text, &line); err != nil {
			return ingest.Record{}, field, err
		}
		ids, err := canonicalIdents(line.Identifiers, canon, true)
		if err != nil {
			return ingest.Record{}, "identifiers", err
		}
		s := line.Subject
		s.Identifiers = ids
		if err := s.Validate(); err != nil {
			return ingest.Record{}, "", err
		}
		return ingest.Record{Subject: &s}, "", nil
	case "event":
		var line eventLine
		if field, err := strictDecode(text, &line); err != nil {
			return ingest.Record{}, field, err
		}
		actor, err := canonicalIdents(line.Actor, canon, false)
		if err != nil {
			return ingest.Record{}, "actor", err
		}
		e := line.Event
		e.Actor = actor
		if e.Source == "" {
			e.Source = molehunt.SourceJSONL
		}
		e.Time = e.Time.UTC()
		if err := e.Validate(); err != nil {
			return ingest.Record{}, "", err
		}
		return ingest.Record{Event: &e}, "", nil
	}
	return ingest.Record{}, "type", fmt.Errorf("%q: want \"subject\" or \"event\"", *head.Type)
}

// subjectLine and eventLine are the two kinds of line: the domain record,
// its "type", and its identifiers as written (objects or strings), which
// shadow the record's own canonical list until they are canonicalised.
type subjectLine struct {
	Type string `json:"type"`
	molehunt.Subject
	Identifiers []lineIdent `json:"identifiers"`
}

type eventLine struct {
	Type string `json:"type"`
	molehunt.Event
	Actor []lineIdent `json:"actor"`
}

// lineIdent is an identifier as a line writes it: {"kind", "value"} or
// "kind:value". A malformed one is kept as bad, so the error can name its
// position in the list.
type lineIdent struct {
	kind, value string
	bad         string
}

// UnmarshalJSON reads either form.
func (l *lineIdent) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		k, v, ok := strings.Cut(s, ":")
		if !ok {
			l.bad = fmt.Sprintf("%q: want \"kind:value\"", s)
			return nil
		}
		l.kind, l.value = k, v
		return nil
	}
	var obj struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&obj); err != nil {
		l.bad = `want {"kind", "value"} or "kind:value"`
		return nil
	}
	l.kind, l.value = obj.Kind, obj.Value
	return nil
}

// strictDecode decodes text into v, refusing unknown keys, and names the
// field at fault.
func strictDecode(text []byte, v any) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return te.Field, fmt.Errorf("want %s, got JSON %s", te.Type, te.Value)
		}
		if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
			return strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`), errors.New("unknown field")
		}
		return "", err
	}
	return "", nil
}

// canonicalIdents canonicalises identifiers as written; duplicates that
// canonicalise alike are dropped when dedupe is set.
func canonicalIdents(items []lineIdent, canon *ident.Canonicalizer, dedupe bool) ([]molehunt.Identifier, error) {
	if items == nil {
		return nil, nil
	}
	out := make([]molehunt.Identifier, 0, len(items))
	var seen map[molehunt.Identifier]bool
	if dedupe {
		seen = make(map[molehunt.Identifier]bool, len(items))
	}
	for i, it := range items {
		if it.bad != "" {
			return nil, fmt.Errorf("[%d]: %s", i, it.bad)
		}
		id, err := canon.Identifier(molehunt.IdentifierKind(it.kind), it.value)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		if dedupe {
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		out = append(out, id)
	}
	return out, nil
}
