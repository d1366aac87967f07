package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"molehunt"
)

// AppendRejects implements molehunt.RejectStore.
func (s *Store) AppendRejects(ctx context.Context, run string, rejects []molehunt.Reject) error {
	const op = "postgres.AppendRejects"
	if run == "" {
		return molehunt.Errorf(molehunt.EInvalid, op, "empty run id")
	}
	if len(rejects) == 0 {
		return nil
	}
	cols := make([][]string, 6)
	for _, r := range rejects {
		for i, v := range []string{string(r.Source), r.File, r.Record, r.Field, r.Reason} {
			cols[i] = append(cols[i], v)
		}
	}
	return s.inTx(ctx, op, func(tx pgx.Tx) error {
		// Appends to one run are serialised, so sequence numbers never clash.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('molehunt rejects ' || $1, 0))`, run); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO rejects (run, seq, source, file, record, field, reason)
			SELECT $1, (SELECT coalesce(max(seq), 0) FROM rejects WHERE run = $1) + u.n, u.source, u.file, u.record, u.field, u.reason
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
				AS u(source, file, record, field, reason, n)`,
			run, cols[0], cols[1], cols[2], cols[3], cols[4])
		return err
	})
}

// Rejects implements molehunt.RejectStore.
func (s *Store) Rejects(ctx context.Context, run string) ([]molehunt.Reject, error) {
	const op = "postgres.Rejects"
	rows, err := s.pool.Query(ctx, `SELECT source, file, record, field, reason FROM rejects WHERE run = $1 ORDER BY seq`, run)
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	var out []molehunt.Reject
	for rows.Next() {
		var (
			r      molehunt.Reject
			source string
		)
		if err := rows.Scan(&source, &r.File, &r.Record, &r.Field, &r.Reason); err != nil {
			return nil, mapErr(op, err)
		}
		r.Source = molehunt.Source(source)
		out = append(out, r)
	}
	return out, mapErr(op, rows.Err())
}
