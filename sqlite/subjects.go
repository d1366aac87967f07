package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"molehunt"
)

// UpsertSubjects implements molehunt.SubjectStore.
func (s *Store) UpsertSubjects(ctx context.Context, subjects []molehunt.Subject) error {
	const op = "sqlite.UpsertSubjects"
	for i := range subjects {
		if err := subjects[i].Validate(); err != nil {
			return invalid(op, err)
		}
	}
	if len(subjects) == 0 {
		return nil
	}
	now := s.now().UTC()
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		upsert, err := tx.PrepareContext(ctx, `
			INSERT INTO subjects (id, role, status, doc, created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET role = excluded.role, status = excluded.status,
				doc = excluded.doc, updated_us = excluded.updated_us`)
		if err != nil {
			return err
		}
		defer upsert.Close()
		clear, err := tx.PrepareContext(ctx, `DELETE FROM subject_identifiers WHERE subject_id = ?`)
		if err != nil {
			return err
		}
		defer clear.Close()
		addID, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO subject_identifiers (kind, value, subject_id) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer addID.Close()
		for _, sub := range subjects {
			created, updated := sub.CreatedAt, sub.UpdatedAt
			if created.IsZero() {
				created = now
			}
			if updated.IsZero() {
				updated = now
			}
			sub.CreatedAt, sub.UpdatedAt = time.Time{}, time.Time{}
			doc, err := json.Marshal(sub)
			if err != nil {
				return err
			}
			if _, err := upsert.ExecContext(ctx, sub.ID, sub.Role, sub.Status, doc, created.UnixMicro(), updated.UnixMicro()); err != nil {
				return err
			}
			if _, err := clear.ExecContext(ctx, sub.ID); err != nil {
				return err
			}
			for _, id := range sub.Identifiers {
				if _, err := addID.ExecContext(ctx, id.Kind, id.Value, sub.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

const subjectColumns = `doc, created_us, updated_us`

func scanSubject(sc interface{ Scan(...any) error }) (molehunt.Subject, error) {
	var (
		doc              []byte
		created, updated int64
		sub              molehunt.Subject
	)
	if err := sc.Scan(&doc, &created, &updated); err != nil {
		return sub, err
	}
	if err := json.Unmarshal(doc, &sub); err != nil {
		return sub, err
	}
	sub.CreatedAt, sub.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	return sub, nil
}

// Subject implements molehunt.SubjectStore.
func (s *Store) Subject(ctx context.Context, id string) (molehunt.Subject, error) {
	const op = "sqlite.Subject"
	sub, err := scanSubject(s.read.QueryRowContext(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return sub, molehunt.Errorf(molehunt.ENotFound, op, "no subject %q", id)
	}
	return sub, mapErr(op, err)
}

// FindSubjects implements molehunt.SubjectStore.
func (s *Store) FindSubjects(ctx context.Context, id molehunt.Identifier) ([]molehunt.Subject, error) {
	const op = "sqlite.FindSubjects"
	rows, err := s.read.QueryContext(ctx, `
		SELECT `+subjectColumns+` FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id
		WHERE i.kind = ? AND i.value = ? ORDER BY s.id`, id.Kind, id.Value)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collectSubjects(rows)
	return out, mapErr(op, err)
}

// ListSubjects implements molehunt.SubjectStore.
func (s *Store) ListSubjects(ctx context.Context, q molehunt.SubjectQuery) (molehunt.SubjectPage, error) {
	const op = "sqlite.ListSubjects"
	limit := molehunt.PageLimit(q.Limit)
	where := []string{"id > ?"}
	args := []any{q.After}
	if q.Role != "" {
		where, args = append(where, "role = ?"), append(args, q.Role)
	}
	if q.Status != "" {
		where, args = append(where, "status = ?"), append(args, q.Status)
	}
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return molehunt.SubjectPage{}, mapErr(op, err)
	}
	subs, err := collectSubjects(rows)
	if err != nil {
		return molehunt.SubjectPage{}, mapErr(op, err)
	}
	page := molehunt.SubjectPage{Subjects: subs}
	if len(subs) > limit {
		page.Subjects = subs[:limit]
		page.Next = subs[limit-1].ID
	}
	return page, nil
}

func collectSubjects(rows *sql.Rows) ([]molehunt.Subject, error) {
	defer rows.Close()
	var out []molehunt.Subject
	for rows.Next() {
		sub, err := scanSubject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}
