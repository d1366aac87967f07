// Package ingest turns the records companies already export (identity
// provider logs, endpoint inventories, applicant tracking, payroll, bank and
// shipping files) into molehunt's subjects and events. Each source format
// has its own sub-package with a Parser; this package holds the contract
// they share.
package ingest

import (
	"context"
	"io"
	"time"

	"molehunt"
	"molehunt/ident"
)

// Record is one item a parser yields: exactly one of a subject, an event or
// a reject (a record that could not be read, with its file, record number
// and field).
type Record struct {
	Subject *molehunt.Subject
	Event   *molehunt.Event
	Reject  *molehunt.Reject
}

// Options gives a parser what it needs besides the bytes.
type Options struct {
	// File names the input in rejects ("okta-2026-10.json", a URL, ...).
	File string
	// Canon produces canonical identifiers (emails, phones, devices, ...).
	Canon *ident.Canonicalizer
	// Digest produces the keyed digests of bank accounts and government
	// IDs; the numbers themselves are never kept.
	Digest *ident.Digester
	// DefaultRegion is the ISO country assumed for phone numbers written
	// without a country code.
	DefaultRegion string
	// Now is the clock, for records without a time of their own.
	Now func() time.Time
}

// Parser reads one source format from r and calls emit for each record, in
// input order. A bad record becomes a Reject and parsing goes on; only an
// unreadable stream (or an error from emit, or a cancelled ctx) stops it,
// and what was emitted before stays emitted. Parsers stream: memory is
// bounded by one record, not by the file.
type Parser interface {
	Source() molehunt.Source
	Parse(ctx context.Context, r io.Reader, opts Options, emit func(Record) error) error
}
