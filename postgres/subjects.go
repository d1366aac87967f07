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

// UpsertSubjects implements molehunt.SubjectStore. Subjects are written in
// ID order so that overlapping concurrent upserts lock rows in one order.
func (s *Store) UpsertSubjects(ctx context.Context, subjects []molehunt.Subject) error {
	const op = "postgres.UpsertSubjects"
	for i := range subjects {
		if err := subjects[i].Validate(); err != nil {
			return invalid(op, err)
		}
	}
	if len(subjects) == 0 {
		return nil
	}
	order := make([]int, len(subjects))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return subjects[order[a]].ID < subjects[order[b]].ID })
	now := s.now().UTC().Truncate(time.Microsecond)
	batch := &pgx.Batch{}
	for _, i := range order {
		sub := subjects[i]
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
			return mapErr(op, err)
		}
		batch.Queue(`
			INSERT INTO subjects (id, role, status, doc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET role = excluded.role, status = excluded.status,
				doc = excluded.doc, updated_at = excluded.updated_at`,
			sub.ID, string(sub.Role), string(sub.Status), string(doc), created.Truncate(time.Microsecond), updated.Truncate(time.Microsecond))
		batch.Queue(`DELETE FROM subject_identifiers WHERE subject_id = $1`, sub.ID)
		if len(sub.Identifiers) > 0 {
			kinds := make([]string, len(sub.Identifiers))
			values := make([]string, len(sub.Identifiers))
			for j, id := range sub.Identifiers {
				kinds[j], values[j] = string(id.Kind), id.Value
			}
			batch.Queue(`INSERT INTO subject_identifiers (kind, value, subject_id)
				SELECT k, v, $3 FROM unnest($1::text[], $2::text[]) AS u(k, v) ON CONFLICT DO NOTHING`, kinds, values, sub.ID)
		}
	}
	return s.inTx(ctx, op, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, batch).Close()
	})
}

const subjectColumns = `s.doc, s.created_at, s.updated_at`

func scanSubject(row pgx.Row) (molehunt.Subject, error) {
	var (
		doc              []byte
		created, updated time.Time
		sub              molehunt.Subject
	)
	if err := row.Scan(&doc, &created, &updated); err != nil {
		return sub, err
	}
	if err := json.Unmarshal(doc, &sub); err != nil {
		return sub, err
	}
	sub.CreatedAt, sub.UpdatedAt = created.UTC(), updated.UTC()
	return sub, nil
}

// Subject implements molehunt.SubjectStore.
func (s *Store) Subject(ctx context.Context, id string) (molehunt.Subject, error) {
	const op = "postgres.Subject"
	sub, err := scanSubject(s.pool.QueryRow(ctx, `SELECT `+subjectColumns+` FROM subjects s WHERE s.id = $1`, id))
	if err == pgx.ErrNoRows {
		return sub, molehunt.Errorf(molehunt.ENotFound, op, "no subject %q", id)
	}
	return sub, mapErr(op, err)
}

// FindSubjects implements molehunt.SubjectStore.
func (s *Store) FindSubjects(ctx context.Context, id molehunt.Identifier) ([]molehunt.Subject, error) {
	const op = "postgres.FindSubjects"
	rows, err := s.pool.Query(ctx, `
		SELECT `+subjectColumns+` FROM subject_identifiers i JOIN subjects s ON s.id = i.subject_id
		WHERE i.kind = $1 AND i.value = $2 ORDER BY s.id`, string(id.Kind), id.Value)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collectSubjects(rows)
	return out, mapErr(op, err)
}

// ListSubjects implements molehunt.SubjectStore.
func (s *Store) ListSubjects(ctx context.Context, q molehunt.SubjectQuery) (molehunt.SubjectPage, error) {
	const op = "postgres.ListSubjects"
	limit := molehunt.PageLimit(q.Limit)
	where := []string{"s.id > $1"}
	args := []any{q.After}
	if q.Role != "" {
		args = append(args, string(q.Role))
		where = append(where, "s.role = $"+strconv.Itoa(len(args)))
	}
	if q.Status != "" {
		args = append(args, string(q.Status))
		where = append(where, "s.status = $"+strconv.Itoa(len(args)))
	}
	args = append(args, limit+1)
	rows, err := s.pool.Query(ctx, `SELECT `+subjectColumns+` FROM subjects s WHERE `+
		strings.Join(where, " AND ")+` ORDER BY s.id LIMIT $`+strconv.Itoa(len(args)), args...)
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

func collectSubjects(rows pgx.Rows) ([]molehunt.Subject, error) {
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
