package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"molehunt"
	"molehunt/postgres"
	"molehunt/sqlite"
)

func TestOpenStore(t *testing.T) {
	for _, tc := range []struct {
		name, flag, env string
		want            string // "sqlite", "postgres" or "usage"
		needsPostgres   bool
	}{
		{name: "default is SQLite", want: "sqlite"},
		{name: "explicit sqlite", flag: "sqlite", want: "sqlite"},
		{name: "environment", env: "postgres", want: "postgres", needsPostgres: true},
		{name: "flag", flag: "postgres", want: "postgres", needsPostgres: true},
		{name: "flag beats environment", flag: "sqlite", env: "mysql://nope", want: "sqlite"},
		{name: "unknown scheme", flag: "mysql://user:secret@db/x", want: "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subst := func(s string) string {
				if s == "postgres" {
					u, drop, err := tempSchema(t.Context(), postgresTestURL(t), "molehunt_open_")
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(drop)
					return u
				}
				return s
			}
			flag, env := subst(tc.flag), subst(tc.env)
			m := &Main{Getenv: func(k string) string {
				if k == "MOLEHUNT_DB" {
					return env
				}
				return ""
			}}
			s, err := m.openStore(t.Context(), t.TempDir(), flag)
			if tc.want == "usage" {
				var ue usageError
				if !errors.As(err, &ue) {
					t.Fatalf("openStore(%q): %v; want a usage error", flag, err)
				}
				if strings.Contains(ue.msg, "secret") {
					t.Errorf("message %q shows the password", ue.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			switch s.(type) {
			case *sqlite.Store:
				if tc.want != "sqlite" {
					t.Errorf("got SQLite; want %s", tc.want)
				}
			case *postgres.Store:
				if tc.want != "postgres" {
					t.Errorf("got PostgreSQL; want %s", tc.want)
				}
			}
		})
	}
	m := &Main{Getenv: func(string) string { return "" }}
	_, err := m.openStore(t.Context(), t.TempDir(), "postgres://u:hunter2@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if code := molehunt.ErrorCodeOf(err); code != molehunt.EUnavailable || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unreachable PostgreSQL: %v (code %q); want unavailable, password hidden", err, code)
	}
}

func TestServeIngestEndToEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	listening := make(chan string, 1)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Now: time.Now, Listening: listening}
	done := make(chan int, 1)
	data := t.TempDir()
	go func() {
		done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--refresh", "0", "--max-ingest-bytes", "100000"})
	}()
	var addr string
	select {
	case addr = <-listening:
	case code := <-done:
		t.Fatalf("serve exited %d", code)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	post := func(body string) (int, map[string]any) {
		resp, err := http.Post("http://"+addr+"/v1/ingest/auto?file=okta.ndjson", "application/x-ndjson", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	if code, v := post(testOkta); code != 200 || v["accepted"] != 2.0 || v["rejected"] != 1.0 {
		t.Fatalf("POST /v1/ingest/auto: %d %v; want 200, 2 accepted, 1 rejected", code, v)
	}
	if code, _ := post(strings.Repeat(testOkta, 400)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over --max-ingest-bytes: %d; want 413", code)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("serve exited %d", code)
	}
	// The store was closed on shutdown and holds what was acknowledged.
	s, err := sqlite.Open(t.Context(), data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Event(t.Context(), molehunt.EventID(molehunt.SourceOkta, "a1")); err != nil {
		t.Errorf("event a1 after shutdown: %v", err)
	}
}
