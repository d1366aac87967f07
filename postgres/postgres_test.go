package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"molehunt"
	"molehunt/postgres"
	"molehunt/storetest"
)

// DefaultURL is the server the tests use unless MOLEHUNT_POSTGRES_URL says
// otherwise: a local PostgreSQL with trust authentication.
const defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// serverURL returns the test server's URL, skipping the test when no server
// answers, or failing it when MOLEHUNT_REQUIRE_POSTGRES=1 (set by CI).
func serverURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("MOLEHUNT_POSTGRES_URL")
	if u == "" {
		u = defaultURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err == nil {
		err = conn.Ping(ctx)
		conn.Close(ctx)
	}
	if err != nil {
		if os.Getenv("MOLEHUNT_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL at %s does not answer and MOLEHUNT_REQUIRE_POSTGRES=1: %v", u, err)
		}
		t.Skipf("no PostgreSQL at %s (set MOLEHUNT_POSTGRES_URL; MOLEHUNT_REQUIRE_POSTGRES=1 makes this a failure): %v", u, err)
	}
	return u
}

// freshSchema creates an empty schema for one test, drops it when the test
// ends, and returns a URL whose search_path selects it.
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "molehunt_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestConformance(t *testing.T) {
	base := serverURL(t)
	var (
		mu      sync.Mutex
		schemas = map[*testing.T]string{}
	)
	storetest.Run(t, func(t *testing.T) molehunt.Store {
		mu.Lock()
		u, ok := schemas[t]
		mu.Unlock()
		if !ok {
			u = freshSchema(t, base)
			mu.Lock()
			schemas[t] = u
			mu.Unlock()
		}
		s, err := postgres.Open(t.Context(), u, postgres.Options{})
		if err != nil {
			t.Fatalf("postgres.Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestOpenUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", postgres.Options{})
	if code := molehunt.ErrorCodeOf(err); code != molehunt.EUnavailable {
		t.Errorf("Open of a closed port: %v (code %q); want unavailable", err, code)
	}
	_, err = postgres.Open(ctx, "postgres://%zz", postgres.Options{})
	if code := molehunt.ErrorCodeOf(err); code != molehunt.EInvalid {
		t.Errorf("Open of a bad URL: %v (code %q); want invalid", err, code)
	}
}
