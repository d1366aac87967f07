package sqlite

import (
	"context"
	"database/sql"

	"molehunt"
)

// AppendRejects implements molehunt.RejectStore.
func (s *Store) AppendRejects(ctx context.Context, run string, rejects []molehunt.Reject) error {
	const op = "sqlite.AppendRejects"
	if run == "" {
		return molehunt.Errorf(molehunt.EInvalid, op, "empty run id")
	}
	if len(rejects) == 0 {
		return nil
	}
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM rejects WHERE run = ?`, run).Scan(&next); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO rejects (run, seq, source, file, record, field, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for i, r := range rejects {
			if _, err := ins.ExecContext(ctx, run, next+int64(i), r.Source, r.File, r.Record, r.Field, r.Reason); err != nil {
				return err
			}
		}
		return nil
	})
}

// Rejects implements molehunt.RejectStore.
func (s *Store) Rejects(ctx context.Context, run string) ([]molehunt.Reject, error) {
	const op = "sqlite.Rejects"
	rows, err := s.read.QueryContext(ctx, `SELECT source, file, record, field, reason FROM rejects WHERE run = ? ORDER BY seq`, run)
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	var out []molehunt.Reject
	for rows.Next() {
		var r molehunt.Reject
		if err := rows.Scan(&r.Source, &r.File, &r.Record, &r.Field, &r.Reason); err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, r)
	}
	return out, mapErr(op, rows.Err())
}
