package main

import (
	"context"
	"net/url"
	"strings"

	"molehunt"
	"molehunt/postgres"
	"molehunt/sqlite"
)

// storeKind names where a --db value points, for messages and the bench.
func storeKind(dbURL string) string {
	if isPostgresURL(dbURL) {
		return "postgres"
	}
	return "sqlite"
}

func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// dbURL resolves --db: the flag, then $MOLEHUNT_DB; "" means the embedded
// SQLite store in the data directory.
func (m *Main) dbURL(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return m.Getenv("MOLEHUNT_DB")
}

// openStore opens the store that dbURL names (after $MOLEHUNT_DB when it is
// empty): nothing or "sqlite" is the embedded SQLite database in dataDir; a
// postgres:// or postgresql:// URL is the PostgreSQL store (search_path in
// the URL picks the schema). The HMAC key is not the store's business: it
// stays in the data directory whichever store is used.
func (m *Main) openStore(ctx context.Context, dataDir, dbURL string) (molehunt.Store, error) {
	dbURL = m.dbURL(dbURL)
	switch {
	case dbURL == "" || dbURL == "sqlite":
		s, err := sqlite.Open(ctx, dataDir, sqlite.Options{})
		if err != nil {
			return nil, err
		}
		return s, nil
	case isPostgresURL(dbURL):
		s, err := postgres.Open(ctx, dbURL, postgres.Options{})
		if err != nil {
			// The URL may carry a password: name the server without it.
			return nil, &molehunt.Error{Code: molehunt.ErrorCodeOf(err), Op: "open store", Message: "PostgreSQL at " + redactURL(dbURL) + ": " + molehunt.ErrorMessageOf(err), Err: err}
		}
		return s, nil
	}
	return nil, usagef("--db %q: want a postgres:// URL, or nothing for SQLite in the data directory", redactURL(dbURL))
}

// redactURL hides a password in a database URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		if err != nil && strings.Contains(s, "@") {
			return "(unparsable URL)"
		}
		return s
	}
	return u.Redacted()
}
