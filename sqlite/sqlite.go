// Package sqlite is molehunt's embedded store: subjects, events and rejects
// in one SQLite database (modernc.org/sqlite, pure Go) in a data directory.
//
// The database runs in WAL mode with one writer connection, so writes are
// serialised in the process and never meet SQLITE_BUSY among themselves,
// and a pool of read-only connections that read alongside the writer. Each
// write method is one transaction; its success means the commit is on disk
// (synchronous=FULL by default). The schema is created and upgraded by the
// numbered migrations embedded from migrations/.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"molehunt"
)

// DBFile is the database's file name inside the data directory.
const DBFile = "molehunt.db"

//go:embed migrations/*.sql
var migrations embed.FS

// Options tune a Store; the zero value is the production default.
type Options struct {
	// ReadConns is the size of the read pool; 0 means max(4, GOMAXPROCS).
	ReadConns int
	// BusyTimeout is how long a connection waits for another process's
	// lock; 0 means 10 seconds.
	BusyTimeout time.Duration
	// Synchronous is SQLite's synchronous setting: "FULL" (the default:
	// a commit survives power loss) or "NORMAL" (survives a crash of the
	// process, may lose the last commits on power loss; faster).
	Synchronous string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Store is the SQLite implementation of molehunt.Store.
type Store struct {
	dir       string
	write     *sql.DB // one connection: the only writer
	read      *sql.DB // read-only pool
	now       func() time.Time
	closeOnce sync.Once
	closeErr  error
}

var _ molehunt.Store = (*Store)(nil)

// Open opens (creating if needed) the store in dataDir and applies any
// pending migrations.
func Open(ctx context.Context, dataDir string, opts Options) (*Store, error) {
	const op = "sqlite.Open"
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, &molehunt.Error{Code: molehunt.EInternal, Op: op, Message: "cannot create the data directory", Err: err}
	}
	if opts.BusyTimeout == 0 {
		opts.BusyTimeout = 10 * time.Second
	}
	switch strings.ToUpper(opts.Synchronous) {
	case "":
		opts.Synchronous = "FULL"
	case "FULL", "NORMAL", "EXTRA":
	default:
		return nil, molehunt.Errorf(molehunt.EInvalid, op, "synchronous %q: want FULL, NORMAL or EXTRA", opts.Synchronous)
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = max(4, runtime.GOMAXPROCS(0))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	path := filepath.Join(dataDir, DBFile)
	dsn := func(extra ...string) string {
		q := url.Values{}
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()))
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous("+strings.ToUpper(opts.Synchronous)+")")
		// A 64 MiB page cache per connection keeps the key index in
		// memory: events arrive in random source-id order.
		q.Add("_pragma", "cache_size(-65536)")
		// Checkpoint less often: index pages dirtied by many batches are
		// then copied into the database once, not once per batch.
		q.Add("_pragma", "wal_autocheckpoint(10000)")
		// Temporary tables and statement journals stay in memory.
		q.Add("_pragma", "temp_store(MEMORY)")
		for _, p := range extra {
			q.Add("_pragma", p)
		}
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	write, err := sql.Open("sqlite", dsn()+"&_txlock=immediate")
	if err != nil {
		return nil, mapErr(op, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// 4 KiB pages (SQLite's default, set explicitly): with 16 KiB pages
	// the process's memory outside the Go heap grew with every event
	// inserted (about 0.9 KB each, measured with `molehunt bench ingest`),
	// breaking the promise that ingestion memory is bounded by the batch;
	// with 4 KiB it levels off. The size can only be chosen before WAL
	// mode is entered, so it is set here and takes effect on a new file.
	for _, p := range []string{"PRAGMA page_size = 4096", "PRAGMA journal_mode = WAL"} {
		if _, err := write.ExecContext(ctx, p); err != nil {
			write.Close()
			return nil, mapErr(op, err)
		}
	}
	s := &Store{dir: dataDir, write: write, now: opts.Now}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", dsn("query_only(1)"))
	if err != nil {
		write.Close()
		return nil, mapErr(op, err)
	}
	read.SetMaxOpenConns(opts.ReadConns)
	read.SetMaxIdleConns(opts.ReadConns)
	s.read = read
	return s, nil
}

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// Close closes the connections. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.read != nil {
			errs = append(errs, s.read.Close())
		}
		errs = append(errs, s.write.Close())
		if err := errors.Join(errs...); err != nil {
			s.closeErr = mapErr("sqlite.Close", err)
		}
	})
	return s.closeErr
}

// migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction with its record, so a
// failed migration leaves the schema as it was.
func (s *Store) migrate(ctx context.Context) error {
	const op = "sqlite.migrate"
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return mapErr(op, err)
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return mapErr(op, err)
	}
	sort.Strings(files)
	for _, f := range files {
		name := filepath.Base(f)
		num, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if err != nil {
			return molehunt.Errorf(molehunt.EInternal, op, "migration %s: name must start with its number", name)
		}
		body, err := migrations.ReadFile(f)
		if err != nil {
			return mapErr(op, err)
		}
		if err := s.inTx(ctx, op, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				version, name, s.now().UTC().Format(time.RFC3339Nano))
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE), committing when it
// returns nil.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return mapErr(op, err)
	}
	if err := tx.Commit(); err != nil {
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
	if errors.Is(err, sql.ErrNoRows) {
		return &molehunt.Error{Code: molehunt.ENotFound, Op: op, Message: "not found", Err: err}
	}
	var se *sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3lib.SQLITE_CONSTRAINT:
			return &molehunt.Error{Code: molehunt.EConflict, Op: op, Message: "conflicts with stored data", Err: err}
		case sqlite3lib.SQLITE_BUSY, sqlite3lib.SQLITE_LOCKED:
			return &molehunt.Error{Code: molehunt.EUnavailable, Op: op, Message: "database is busy", Err: err}
		case sqlite3lib.SQLITE_FULL, sqlite3lib.SQLITE_IOERR, sqlite3lib.SQLITE_CANTOPEN, sqlite3lib.SQLITE_READONLY:
			return &molehunt.Error{Code: molehunt.EUnavailable, Op: op, Message: "database unavailable", Err: err}
		}
	}
	return &molehunt.Error{Code: molehunt.EInternal, Op: op, Err: err}
}

func invalid(op string, err error) error {
	return &molehunt.Error{Code: molehunt.EInvalid, Op: op, Message: "invalid record", Err: err}
}
