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

// AppendEvents implements molehunt.EventStore. The batch is validated and
// encoded before the write transaction starts, so the single writer
// connection is held only for the inserts.
func (s *Store) AppendEvents(ctx context.Context, events []molehunt.Event) (molehunt.AppendResult, error) {
	const op = "sqlite.AppendEvents"
	var res molehunt.AppendResult
	rows := make([]eventRow, len(events))
	for i := range events {
		e := &events[i]
		if e.ID == "" {
			e.ID = molehunt.EventID(e.Source, e.SourceEventID)
		}
		if err := e.Validate(); err != nil {
			return res, invalid(op, err)
		}
		r, err := encodeEvent(e)
		if err != nil {
			return res, mapErr(op, err)
		}
		rows[i] = r
	}
	if len(rows) == 0 {
		return res, nil
	}
	// The driver watches a cancellable context with a goroutine per
	// statement, which costs more than the insert itself; so statements run
	// under a context without cancellation, and ctx is checked between
	// them and before the commit.
	quiet := context.WithoutCancel(ctx)
	err := s.inTx(ctx, op, func(tx *sql.Tx) error {
		full, err := tx.PrepareContext(quiet, insertEvents(insertChunk))
		if err != nil {
			return err
		}
		defer full.Close()
		accepted := 0
		args := make([]any, 0, insertChunk*7)
		for start := 0; start < len(rows); start += insertChunk {
			if err := ctx.Err(); err != nil {
				return err
			}
			chunk := rows[start:min(start+insertChunk, len(rows))]
			args = args[:0]
			for _, r := range chunk {
				args = append(args, r.source, r.sourceEventID, r.kind, r.timeUS, r.subjectID, r.doc, r.raw)
			}
			stmt := full
			if len(chunk) < insertChunk {
				if stmt, err = tx.PrepareContext(quiet, insertEvents(len(chunk))); err != nil {
					return err
				}
				defer stmt.Close()
			}
			out, err := stmt.ExecContext(quiet, args...)
			if err != nil {
				return err
			}
			n, err := out.RowsAffected()
			if err != nil {
				return err
			}
			accepted += int(n)
		}
		res = molehunt.AppendResult{Accepted: accepted, Duplicates: len(rows) - accepted}
		return ctx.Err()
	})
	if err != nil {
		return molehunt.AppendResult{}, err
	}
	return res, nil
}

// insertChunk is how many events one INSERT statement carries: enough to
// amortise the per-statement cost, well under SQLite's parameter limit.
const insertChunk = 64

// insertEvents returns the INSERT of n events. Rows whose key is stored,
// or repeated earlier in the statement, are skipped.
func insertEvents(n int) string {
	return `INSERT INTO events (source, source_event_id, kind, time_us, subject_id, doc, raw) VALUES (?, ?, ?, ?, ?, ?, ?)` +
		strings.Repeat(`, (?, ?, ?, ?, ?, ?, ?)`, n-1) +
		` ON CONFLICT (source, source_event_id) DO NOTHING`
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
