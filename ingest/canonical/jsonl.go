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

// decodeLine turns one line into a record, or the field and error of why not.
func decodeLine(text []byte, canon *ident.Canonicalizer) (ingest.Record, string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(text, &m); err != nil {
		return ingest.Record{}, "", fmt.Errorf("not a JSON object: %w", err)
	}
	var typ string
	if err := json.Unmarshal(m["type"], &typ); err != nil || m["type"] == nil {
		return ingest.Record{}, "type", errors.New(`want "subject" or "event"`)
	}
	delete(m, "type")
	switch typ {
	case "subject":
		if err := canonicalList(m, "identifiers", canon, true); err != nil {
			return ingest.Record{}, "identifiers", err
		}
		var s molehunt.Subject
		if field, err := strictDecode(m, &s); err != nil {
			return ingest.Record{}, field, err
		}
		if err := s.Validate(); err != nil {
			return ingest.Record{}, "", err
		}
		return ingest.Record{Subject: &s}, "", nil
	case "event":
		if err := canonicalList(m, "actor", canon, false); err != nil {
			return ingest.Record{}, "actor", err
		}
		var e molehunt.Event
		if field, err := strictDecode(m, &e); err != nil {
			return ingest.Record{}, field, err
		}
		if e.Source == "" {
			e.Source = molehunt.SourceJSONL
		}
		e.Time = e.Time.UTC()
		if err := e.Validate(); err != nil {
			return ingest.Record{}, "", err
		}
		return ingest.Record{Event: &e}, "", nil
	}
	return ingest.Record{}, "type", fmt.Errorf("%q: want \"subject\" or \"event\"", typ)
}

// strictDecode decodes m into v, refusing unknown keys.
func strictDecode(m map[string]json.RawMessage, v any) (string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
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

// canonicalList replaces m[key], a list of identifiers as objects or
// "kind:value" strings, with their canonical objects; duplicates that
// canonicalise alike are dropped when dedupe is set.
func canonicalList(m map[string]json.RawMessage, key string, canon *ident.Canonicalizer, dedupe bool) error {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return errors.New("want an array of identifiers")
	}
	out := make([]molehunt.Identifier, 0, len(items))
	seen := map[molehunt.Identifier]bool{}
	for i, it := range items {
		var kind, value string
		var s string
		if err := json.Unmarshal(it, &s); err == nil {
			k, v, ok := strings.Cut(s, ":")
			if !ok {
				return fmt.Errorf("[%d]: %q: want \"kind:value\"", i, s)
			}
			kind, value = k, v
		} else {
			var obj struct {
				Kind  string `json:"kind"`
				Value string `json:"value"`
			}
			dec := json.NewDecoder(bytes.NewReader(it))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&obj); err != nil {
				return fmt.Errorf("[%d]: want {\"kind\", \"value\"} or \"kind:value\"", i)
			}
			kind, value = obj.Kind, obj.Value
		}
		id, err := canon.Identifier(molehunt.IdentifierKind(kind), value)
		if err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
		if dedupe && seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	m[key] = b
	return nil
}
