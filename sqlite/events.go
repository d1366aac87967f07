package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"molehunt"
)

// eventRow is an event encoded for its row.
type eventRow struct {
	source, sourceEventID, kind string
	timeUS                      int64
	subjectID                   any // nil while unresolved
	doc, raw                    []byte
}

func encodeEvent(e *molehunt.Event) (eventRow, error) {
	raw := e.Raw
	// The doc holds what no column holds; scanEvent puts the columns back.
	c := *e
	c.ID, c.Source, c.SourceEventID, c.Kind, c.Time, c.SubjectID, c.Raw = "", "", "", "", time.Time{}, "", nil
	doc, err := json.Marshal(&c)
	if err != nil {
		return eventRow{}, err
	}
	r := eventRow{
		source: string(e.Source), sourceEventID: e.SourceEventID, kind: string(e.Kind),
		timeUS: e.Time.UnixMicro(), doc: doc, raw: raw,
	}
	if e.SubjectID != "" {
		r.subjectID = e.SubjectID
	}
	return r, nil
}

// encodeChunk is how many events the encoder hands to the writer at once.
const encodeChunk = 256

type encoded struct {
	rows []eventRow
	err  error
}

// encodeAll validates and encodes events on its own goroutine, in order, a
// chunk at a time, so that encoding overlaps the inserts on a second core.
// It stops at the first invalid event, or when stop is closed.
func encodeAll(events []molehunt.Event, stop <-chan struct{}) <-chan encoded {
	out := make(chan encoded, 4)
	go func() {
		defer close(out)
		for start := 0; start < len(events); start += encodeChunk {
			select {
			case <-stop:
				return
			default:
			}
			batch := events[start:min(start+encodeChunk, len(events))]
			c := encoded{rows: make([]eventRow, 0, len(batch))}
			for i := range batch {
				e := &batch[i]
				if e.ID == "" {
					e.ID = molehunt.EventID(e.Source, e.SourceEventID)
				}
				if err := e.Validate(); err != nil {
					c.err = invalid("sqlite.AppendEvents", err)
					break
				}
				r, err := encodeEvent(e)
				if err != nil {
					c.err = err
					break
				}
				c.rows = append(c.rows, r)
			}
			select {
			case out <- c:
			case <-stop:
				return
			}
			if c.err != nil {
				return
			}
		}
	}()
	return out
}

// AppendEvents implements molehunt.EventStore. Events are validated and
// encoded on a second goroutine while the writer inserts; an invalid event
// rolls the whole transaction back, so nothing of the batch is stored.
func (s *Store) AppendEvents(ctx context.Context, events []molehunt.Event) (molehunt.AppendResult, error) {
	const op = "sqlite.AppendEvents"
	if len(events) == 0 {
		return molehunt.AppendResult{}, nil
	}
	stop := make(chan struct{})
	chunks := encodeAll(events, stop)
	defer func() {
		// Stop the encoder and wait for it, so it never outlives the call
		// and every ID it filled in is visible to the caller.
		close(stop)
		for range chunks {
		}
	}()
	// The driver watches a cancellable context with a goroutine per
	// statement, which costs more than the insert itself; so statements run
	// under a context without cancellation, and ctx is checked every chunk
	// and before the commit. One row per statement: a multi-row INSERT
	// measured no faster, since SQLite must then keep a statement journal
	// to undo a half-applied statement.
	quiet := context.WithoutCancel(ctx)
	var res molehunt.AppendResult
	err := s.inTx(ctx, op, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(quiet, `
			INSERT INTO events (source, source_event_id, kind, time_us, subject_id, doc, raw)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source, source_event_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		accepted := 0
		for c := range chunks {
			if c.err != nil {
				return c.err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			for _, r := range c.rows {
				out, err := ins.ExecContext(quiet, r.source, r.sourceEventID, r.kind, r.timeUS, r.subjectID, r.doc, r.raw)
				if err != nil {
					return err
				}
				n, err := out.RowsAffected()
				if err != nil {
					return err
				}
				accepted += int(n)
			}
		}
		res = molehunt.AppendResult{Accepted: accepted, Duplicates: len(events) - accepted}
		return ctx.Err()
	})
	if err != nil {
		return molehunt.AppendResult{}, err
	}
	return res, nil
}

const eventColumns = `seq, source, source_event_id, kind, time_us, subject_id, doc, raw`

// scanEvent reads an event row and its seq, the tiebreak of page cursors.
func scanEvent(sc interface{ Scan(...any) error }) (molehunt.Event, int64, error) {
	var (
		e         molehunt.Event
		seq       int64
		source    string
		sid, kind string
		timeUS    int64
		subjectID sql.NullString
		doc, raw  []byte
	)
	if err := sc.Scan(&seq, &source, &sid, &kind, &timeUS, &subjectID, &doc, &raw); err != nil {
		return e, 0, err
	}
	if err := json.Unmarshal(doc, &e); err != nil {
		return e, 0, err
	}
	e.Source, e.SourceEventID, e.Kind = molehunt.Source(source), sid, molehunt.EventKind(kind)
	e.ID = molehunt.EventID(e.Source, e.SourceEventID)
	e.Time, e.SubjectID = time.UnixMicro(timeUS).UTC(), subjectID.String
	if len(raw) > 0 {
		e.Raw = raw
	}
	return e, seq, nil
}

// Event implements molehunt.EventStore.
func (s *Store) Event(ctx context.Context, id string) (molehunt.Event, error) {
	const op = "sqlite.Event"
	source, sid, ok := molehunt.ParseEventID(id)
	if !ok {
		return molehunt.Event{}, molehunt.Errorf(molehunt.ENotFound, op, "no event %q", id)
	}
	e, _, err := scanEvent(s.read.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE source = ? AND source_event_id = ?`, source, sid))
	if err == sql.ErrNoRows {
		return e, molehunt.Errorf(molehunt.ENotFound, op, "no event %q", id)
	}
	return e, mapErr(op, err)
}

// Events implements molehunt.EventStore.
func (s *Store) Events(ctx context.Context, q molehunt.EventQuery) (molehunt.EventPage, error) {
	const op = "sqlite.Events"
	if q.SubjectID == "" {
		return molehunt.EventPage{}, molehunt.Errorf(molehunt.EInvalid, op, "no subject id")
	}
	return s.queryEvents(ctx, op, "subject_id = ?", []any{q.SubjectID}, q)
}

// UnresolvedEvents implements molehunt.EventStore.
func (s *Store) UnresolvedEvents(ctx context.Context, q molehunt.EventQuery) (molehunt.EventPage, error) {
	return s.queryEvents(ctx, "sqlite.UnresolvedEvents", "subject_id IS NULL", nil, q)
}

func (s *Store) queryEvents(ctx context.Context, op, cond string, args []any, q molehunt.EventQuery) (molehunt.EventPage, error) {
	limit := molehunt.PageLimit(q.Limit)
	where := []string{cond}
	if !q.From.IsZero() {
		where, args = append(where, "time_us >= ?"), append(args, q.From.UnixMicro())
	}
	if !q.To.IsZero() {
		where, args = append(where, "time_us < ?"), append(args, q.To.UnixMicro())
	}
	if len(q.Kinds) > 0 {
		where = append(where, "kind IN (?"+strings.Repeat(", ?", len(q.Kinds)-1)+")")
		for _, k := range q.Kinds {
			args = append(args, string(k))
		}
	}
	if q.After != "" {
		afterUS, afterSeq, err := parseCursor(q.After)
		if err != nil {
			return molehunt.EventPage{}, molehunt.Errorf(molehunt.EInvalid, op, "bad page cursor")
		}
		where = append(where, "(time_us > ? OR (time_us = ? AND seq > ?))")
		args = append(args, afterUS, afterUS, afterSeq)
	}
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE `+
		strings.Join(where, " AND ")+` ORDER BY time_us, seq LIMIT ?`, args...)
	if err != nil {
		return molehunt.EventPage{}, mapErr(op, err)
	}
	defer rows.Close()
	var (
		page molehunt.EventPage
		seqs []int64
	)
	for rows.Next() {
		e, seq, err := scanEvent(rows)
		if err != nil {
			return molehunt.EventPage{}, mapErr(op, err)
		}
		page.Events = append(page.Events, e)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return molehunt.EventPage{}, mapErr(op, err)
	}
	if len(page.Events) > limit {
		page.Events = page.Events[:limit]
		last := page.Events[limit-1]
		page.Next = strconv.FormatInt(last.Time.UnixMicro(), 10) + ":" + strconv.FormatInt(seqs[limit-1], 10)
	}
	return page, nil
}

// parseCursor reads "<time µs>:<seq>".
func parseCursor(c string) (us, seq int64, err error) {
	ts, sq, ok := strings.Cut(c, ":")
	if !ok {
		return 0, 0, strconv.ErrSyntax
	}
	if us, err = strconv.ParseInt(ts, 10, 64); err != nil {
		return 0, 0, err
	}
	seq, err = strconv.ParseInt(sq, 10, 64)
	return us, seq, err
}

// ResolveEvents implements molehunt.EventStore.
func (s *Store) ResolveEvents(ctx context.Context, rs []molehunt.Resolution) error {
	const op = "sqlite.ResolveEvents"
	if len(rs) == 0 {
		return nil
	}
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		subj, err := tx.PrepareContext(ctx, `SELECT count(*) FROM subjects WHERE id = ?`)
		if err != nil {
			return err
		}
		defer subj.Close()
		upd, err := tx.PrepareContext(ctx, `UPDATE events SET subject_id = ? WHERE source = ? AND source_event_id = ?`)
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, r := range rs {
			var n int
			if err := subj.QueryRowContext(ctx, r.SubjectID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return molehunt.Errorf(molehunt.ENotFound, op, "no subject %q", r.SubjectID)
			}
			source, sid, ok := molehunt.ParseEventID(r.EventID)
			if !ok {
				return molehunt.Errorf(molehunt.ENotFound, op, "no event %q", r.EventID)
			}
			out, err := upd.ExecContext(ctx, r.SubjectID, source, sid)
			if err != nil {
				return err
			}
			if n, err := out.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return molehunt.Errorf(molehunt.ENotFound, op, "no event %q", r.EventID)
			}
		}
		return nil
	})
}
