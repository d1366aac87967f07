package postgres

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"molehunt"
)

// AppendEvents implements molehunt.EventStore: one INSERT of the whole
// batch from arrays, ON CONFLICT DO NOTHING on the idempotency key. The
// batch is sorted by key so that concurrent overlapping batches take row
// locks in the same order.
func (s *Store) AppendEvents(ctx context.Context, events []molehunt.Event) (molehunt.AppendResult, error) {
	const op = "postgres.AppendEvents"
	for i := range events {
		e := &events[i]
		if e.ID == "" {
			e.ID = molehunt.EventID(e.Source, e.SourceEventID)
		}
		if err := e.Validate(); err != nil {
			return molehunt.AppendResult{}, invalid(op, err)
		}
	}
	if len(events) == 0 {
		return molehunt.AppendResult{}, nil
	}
	order := make([]int, len(events))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &events[order[a]], &events[order[b]]
		if x.Source != y.Source {
			return x.Source < y.Source
		}
		return x.SourceEventID < y.SourceEventID
	})
	n := len(events)
	var (
		sources, sids, kinds, subjects, docs = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		times                                = make([]time.Time, n)
		raws                                 = make([][]byte, n)
	)
	for j, i := range order {
		e := &events[i]
		c := *e
		c.ID, c.Source, c.SourceEventID, c.Kind, c.Time, c.SubjectID, c.Raw = "", "", "", "", time.Time{}, "", nil
		doc, err := json.Marshal(&c)
		if err != nil {
			return molehunt.AppendResult{}, mapErr(op, err)
		}
		sources[j], sids[j], kinds[j], subjects[j], docs[j] = string(e.Source), e.SourceEventID, string(e.Kind), e.SubjectID, string(doc)
		times[j] = e.Time.Truncate(time.Microsecond)
		raws[j] = e.Raw
	}
	var accepted int64
	err := s.inTx(ctx, op, func(tx pgx.Tx) error {
		// COPY the batch into a per-connection staging table (binary, the
		// fastest way in), then move it across with ON CONFLICT DO NOTHING,
		// which COPY alone cannot do.
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS events_in (
			source text, source_event_id text, kind text, time timestamptz, subject_id text, doc jsonb, raw bytea
			) ON COMMIT DELETE ROWS`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"events_in"},
			[]string{"source", "source_event_id", "kind", "time", "subject_id", "doc", "raw"},
			pgx.CopyFromSlice(n, func(j int) ([]any, error) {
				var subj any
				if subjects[j] != "" {
					subj = subjects[j]
				}
				return []any{sources[j], sids[j], kinds[j], times[j], subj, docs[j], raws[j]}, nil
			}))
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO events (source, source_event_id, kind, time, subject_id, doc, raw)
			SELECT source, source_event_id, kind, time, subject_id, doc, raw FROM events_in
			ORDER BY source, source_event_id
			ON CONFLICT (source, source_event_id) DO NOTHING`)
		accepted = tag.RowsAffected()
		return err
	})
	if err != nil {
		return molehunt.AppendResult{}, err
	}
	return molehunt.AppendResult{Accepted: int(accepted), Duplicates: n - int(accepted)}, nil
}

const eventColumns = `seq, source, source_event_id, kind, time, coalesce(subject_id, ''), doc, raw`

// scanEvent reads an event row and its seq, the tiebreak of page cursors.
func scanEvent(row pgx.Row) (molehunt.Event, int64, error) {
	var (
		e                       molehunt.Event
		seq                     int64
		source, sid, kind, subj string
		t                       time.Time
		doc, raw                []byte
	)
	if err := row.Scan(&seq, &source, &sid, &kind, &t, &subj, &doc, &raw); err != nil {
		return e, 0, err
	}
	if err := json.Unmarshal(doc, &e); err != nil {
		return e, 0, err
	}
	e.Source, e.SourceEventID, e.Kind, e.SubjectID = molehunt.Source(source), sid, molehunt.EventKind(kind), subj
	e.ID, e.Time = molehunt.EventID(e.Source, sid), t.UTC()
	if len(raw) > 0 {
		e.Raw = raw
	}
	return e, seq, nil
}

// Event implements molehunt.EventStore.
func (s *Store) Event(ctx context.Context, id string) (molehunt.Event, error) {
	const op = "postgres.Event"
	source, sid, ok := molehunt.ParseEventID(id)
	if !ok {
		return molehunt.Event{}, molehunt.Errorf(molehunt.ENotFound, op, "no event %q", id)
	}
	e, _, err := scanEvent(s.pool.QueryRow(ctx, `SELECT `+eventColumns+` FROM events WHERE source = $1 AND source_event_id = $2`, string(source), sid))
	if err == pgx.ErrNoRows {
		return e, molehunt.Errorf(molehunt.ENotFound, op, "no event %q", id)
	}
	return e, mapErr(op, err)
}

// Events implements molehunt.EventStore.
func (s *Store) Events(ctx context.Context, q molehunt.EventQuery) (molehunt.EventPage, error) {
	const op = "postgres.Events"
	if q.SubjectID == "" {
		return molehunt.EventPage{}, molehunt.Errorf(molehunt.EInvalid, op, "no subject id")
	}
	return s.queryEvents(ctx, op, "subject_id = $1", []any{q.SubjectID}, q)
}

// UnresolvedEvents implements molehunt.EventStore.
func (s *Store) UnresolvedEvents(ctx context.Context, q molehunt.EventQuery) (molehunt.EventPage, error) {
	return s.queryEvents(ctx, "postgres.UnresolvedEvents", "subject_id IS NULL", nil, q)
}

func (s *Store) queryEvents(ctx context.Context, op, cond string, args []any, q molehunt.EventQuery) (molehunt.EventPage, error) {
	limit := molehunt.PageLimit(q.Limit)
	where := []string{cond}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if !q.From.IsZero() {
		where = append(where, "time >= "+arg(q.From.Truncate(time.Microsecond)))
	}
	if !q.To.IsZero() {
		where = append(where, "time < "+arg(q.To.Truncate(time.Microsecond)))
	}
	if len(q.Kinds) > 0 {
		kinds := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			kinds[i] = string(k)
		}
		where = append(where, "kind = ANY("+arg(kinds)+"::text[])")
	}
	if q.After != "" {
		afterUS, afterSeq, err := parseCursor(q.After)
		if err != nil {
			return molehunt.EventPage{}, molehunt.Errorf(molehunt.EInvalid, op, "bad page cursor")
		}
		where = append(where, "(time, seq) > ("+arg(time.UnixMicro(afterUS).UTC())+"::timestamptz, "+arg(afterSeq)+"::bigint)")
	}
	rows, err := s.pool.Query(ctx, `SELECT `+eventColumns+` FROM events WHERE `+
		strings.Join(where, " AND ")+` ORDER BY time, seq LIMIT `+arg(limit+1), args...)
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
		page.Next = strconv.FormatInt(page.Events[limit-1].Time.UnixMicro(), 10) + ":" + strconv.FormatInt(seqs[limit-1], 10)
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
	const op = "postgres.ResolveEvents"
	if len(rs) == 0 {
		return nil
	}
	return s.inTx(ctx, op, func(tx pgx.Tx) error {
		for _, r := range rs {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM subjects WHERE id = $1`, r.SubjectID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return molehunt.Errorf(molehunt.ENotFound, op, "no subject %q", r.SubjectID)
			}
			source, sid, ok := molehunt.ParseEventID(r.EventID)
			if !ok {
				return molehunt.Errorf(molehunt.ENotFound, op, "no event %q", r.EventID)
			}
			tag, err := tx.Exec(ctx, `UPDATE events SET subject_id = $1 WHERE source = $2 AND source_event_id = $3`, r.SubjectID, string(source), sid)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return molehunt.Errorf(molehunt.ENotFound, op, "no event %q", r.EventID)
			}
		}
		return nil
	})
}
