// Package postgres is molehunt's store for scale: subjects, events and
// rejects in PostgreSQL through pgx and a connection pool, for several
// molehunt replicas sharing one database.
//
// Events are inserted a batch per statement (unnest of arrays) with ON
// CONFLICT DO NOTHING on (source, source_event_id), so concurrent and
// repeated deliveries are absorbed by the database itself; batches are
// sorted by key first, so two overlapping batches lock rows in the same
// order and cannot deadlock. The schema is created and upgraded by the
// numbered migrations embedded from migrations/, applied under an
// advisory lock, each in its own transaction.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"molehunt"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options tune a Store; the zero value is the production default.
type Options struct {
	// MaxConns caps the pool; 0 means pgxpool's default.
	MaxConns int32
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Store is the PostgreSQL implementation of molehunt.Store.
type Store struct {
	pool      *pgxpool.Pool
	now       func() time.Time
	closeOnce sync.Once
}

var _ molehunt.Store = (*Store)(nil)

// Open connects to the database at connString (a postgres:// URL or a
// key=value string; a search_path parameter selects the schema), checks the
// connection and applies any pending migrations.
func Open(ctx context.Context, connString string, opts Options) (*Store, error) {
	const op = "postgres.Open"
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, &molehunt.Error{Code: molehunt.EInvalid, Op: op, Message: "bad connection string", Err: err}
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, mapErr(op, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, mapErr(op, err)
	}
	s := &Store{pool: pool, now: opts.Now}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the pool. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(s.pool.Close)
	return nil
}

// migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction with its record. A
// transaction-scoped advisory lock, keyed by the schema, makes replicas
// starting together apply each migration once.
func (s *Store) migrate(ctx context.Context) error {
	const op = "postgres.migrate"
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return mapErr(op, err)
	}
	sort.Strings(files)
	for _, f := range files {
		name := path.Base(f)
		num, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if err != nil {
			return molehunt.Errorf(molehunt.EInternal, op, "migration %s: name must start with its number", name)
		}
		body, err := migrations.ReadFile(f)
		if err != nil {
			return mapErr(op, err)
		}
		err = s.inTx(ctx, op, func(tx pgx.Tx) error {
			var schema string
			if err := tx.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
				return err
			}
			h := fnv.New64a()
			h.Write([]byte("molehunt migrations " + schema))
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(h.Sum64())); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version    integer PRIMARY KEY,
				name       text NOT NULL,
				applied_at timestamptz NOT NULL)`); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, version, name, s.now())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return mapErr(op, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return mapErr(op, err)
	}
	return nil
}

// mapErr turns a driver error into a *molehunt.Error with the matching
// code; a *molehunt.Error passes through unchanged.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var me *molehunt.Error
	if errors.As(err, &me) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &molehunt.Error{Code: molehunt.EUnavailable, Op: op, Message: "cancelled", Err: err}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &molehunt.Error{Code: molehunt.ENotFound, Op: op, Message: "not found", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "23"): // integrity constraint violation
			return &molehunt.Error{Code: molehunt.EConflict, Op: op, Message: "conflicts with stored data", Err: err}
		case strings.HasPrefix(pe.Code, "22"): // data exception
			return &molehunt.Error{Code: molehunt.EInvalid, Op: op, Message: "invalid data", Err: err}
		case pe.Code == "40001" || pe.Code == "40P01" || pe.Code == "55P03" || pe.Code == "53300" ||
			strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P"):
			// serialization failure, deadlock, lock timeout, too many
			// connections, connection failure, shutdown: try again later.
			return &molehunt.Error{Code: molehunt.EUnavailable, Op: op, Message: "database busy or unavailable", Err: err}
		}
		return &molehunt.Error{Code: molehunt.EInternal, Op: op, Err: err}
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.As(err, &ne) || errors.As(err, &ce) || pgconn.SafeToRetry(err) {
		return &molehunt.Error{Code: molehunt.EUnavailable, Op: op, Message: "database unavailable", Err: err}
	}
	return &molehunt.Error{Code: molehunt.EInternal, Op: op, Err: err}
}

func invalid(op string, err error) error {
	return &molehunt.Error{Code: molehunt.EInvalid, Op: op, Message: "invalid record", Err: err}
}
