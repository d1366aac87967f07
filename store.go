package molehunt

import (
	"context"
	"time"
)

// Paging limits for the List and query methods of the stores.
const (
	DefaultPageLimit = 100
	MaxPageLimit     = 10000
)

// PageLimit returns the number of items a page of the given requested limit
// holds: DefaultPageLimit for zero or less, at most MaxPageLimit.
func PageLimit(limit int) int {
	switch {
	case limit <= 0:
		return DefaultPageLimit
	case limit > MaxPageLimit:
		return MaxPageLimit
	}
	return limit
}

// SubjectQuery selects subjects for ListSubjects. Empty fields do not filter.
type SubjectQuery struct {
	Role   SubjectRole
	Status SubjectStatus
	// After is the Next cursor of the previous page; "" starts at the top.
	After string
	Limit int // see PageLimit
}

// SubjectPage is one page of subjects in ID order; Next is "" on the last page.
type SubjectPage struct {
	Subjects []Subject
	Next     string
}

// SubjectStore keeps subjects and indexes their identifiers.
type SubjectStore interface {
	// UpsertSubjects validates every subject, then inserts each one or
	// replaces the stored subject with the same ID, all in one transaction:
	// an invalid subject (EInvalid, wrapping its *RecordError) stores none.
	// A zero CreatedAt or UpdatedAt is set to now; a replaced subject keeps
	// its stored CreatedAt. Times are kept to the microsecond, in UTC.
	UpsertSubjects(ctx context.Context, subjects []Subject) error
	// Subject returns the subject with the given ID, or ENotFound.
	Subject(ctx context.Context, id string) (Subject, error)
	// FindSubjects returns the subjects holding the identifier, in ID order;
	// none is not an error.
	FindSubjects(ctx context.Context, id Identifier) ([]Subject, error)
	// ListSubjects returns a page of subjects in ID order.
	ListSubjects(ctx context.Context, q SubjectQuery) (SubjectPage, error)
}

// EventQuery selects events by time (From inclusive, To exclusive; zero
// means unbounded) and kind (empty means all), a page at a time.
type EventQuery struct {
	// SubjectID is required by Events and ignored by UnresolvedEvents.
	SubjectID string
	From, To  time.Time
	Kinds     []EventKind
	// After is the Next cursor of the previous page; "" starts at the top.
	After string
	Limit int // see PageLimit
}

// EventPage is one page of events in time order (events of the same
// instant in the order they were stored); Next is "" on the last page.
type EventPage struct {
	Events []Event
	Next   string
}

// AppendResult counts what happened to a batch of events.
type AppendResult struct {
	Accepted   int // newly stored
	Duplicates int // already stored (or repeated in the batch) under the same (Source, SourceEventID)
}

// Resolution says which subject an event belongs to.
type Resolution struct {
	EventID   string
	SubjectID string
}

// EventStore keeps events, idempotently by (Source, SourceEventID).
type EventStore interface {
	// AppendEvents validates every event, fills an empty ID with
	// EventID(Source, SourceEventID) (in the caller's slice too), and stores
	// the batch in one transaction. An event whose (Source, SourceEventID)
	// is already stored, or repeated earlier in the batch, is counted as a
	// duplicate and left as it was: the first delivery wins. An invalid
	// event fails the whole batch with EInvalid wrapping its *RecordError.
	// Success is returned only after the transaction is durable.
	AppendEvents(ctx context.Context, events []Event) (AppendResult, error)
	// Event returns the event with the given ID, or ENotFound.
	Event(ctx context.Context, id string) (Event, error)
	// Events returns a page of one subject's events (q.SubjectID required,
	// else EInvalid).
	Events(ctx context.Context, q EventQuery) (EventPage, error)
	// UnresolvedEvents returns a page of the events with no subject yet.
	UnresolvedEvents(ctx context.Context, q EventQuery) (EventPage, error)
	// ResolveEvents sets the subject of each event, in one transaction. An
	// unknown event or subject fails all of it with ENotFound. Resolving an
	// event again moves it to the new subject.
	ResolveEvents(ctx context.Context, rs []Resolution) error
}

// RejectStore keeps the rejects report of each ingestion run.
type RejectStore interface {
	// AppendRejects adds rejects to the report of run (an id chosen by the
	// ingestion, non-empty).
	AppendRejects(ctx context.Context, run string, rejects []Reject) error
	// Rejects returns the report of run in the order appended; an unknown
	// run has an empty report.
	Rejects(ctx context.Context, run string) ([]Reject, error)
}

// Store is everything molehunt keeps about subjects and their records. The
// SQLite and PostgreSQL adapters implement it, and storetest.Run checks
// that they behave the same.
type Store interface {
	SubjectStore
	EventStore
	RejectStore
	// Close releases the store's connections; it waits for nothing else.
	Close() error
}
