package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"molehunt/httpapi"
	"molehunt/ident"
	"molehunt/ingest/formats"
	"molehunt/lists"
)

// serve runs the API and console until the context ends.
func (m *Main) serve(ctx context.Context, args []string) error {
	fs := m.flagSet("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	data := fs.String("data", "", "data directory (holds the HMAC key, and the SQLite database unless --db says otherwise)")
	db := fs.String("db", "", "store: a postgres:// URL, or empty for SQLite in the data directory (default $MOLEHUNT_DB)")
	maxIngest := fs.Int64("max-ingest-bytes", httpapi.DefaultMaxIngestBytes, "largest body POST /v1/ingest/{source} accepts")
	region := fs.String("region", "US", "country assumed for ingested phone numbers without a country code")
	dayFirst := fs.Bool("day-first", false, "read slashed dates in ingested CSV exports as day/month/year")
	keyboard := fs.Bool("keyboard-locale", false, "keep keyboard-layout and locale facts from ingested osquery logs (policy opt-in)")
	refresh := fs.Duration("refresh", 24*time.Hour, "how often to refresh the lists from the official sources (0: never)")
	refreshFrom := fs.String("refresh-from", "", "refresh from this mirror URL or directory instead of the official addresses")
	threshold := fs.Float64("threshold", 0, "default match threshold (0: the matcher's default)")
	verbose := fs.Bool("v", false, "debug logging")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("serve: unexpected argument %q", rest[0])
	}
	if *addr == "" {
		if env := m.Getenv("MOLEHUNT_ADDR"); env != "" {
			*addr = env
		}
	}
	dir, err := m.dataDir(*data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := m.logger(level)

	if *maxIngest <= 0 {
		return usagef("serve: --max-ingest-bytes must be positive")
	}
	key, err := ident.LoadOrCreateKey(dir, m.Getenv("MOLEHUNT_HMAC_KEY"))
	if err != nil {
		return err
	}
	digester := ident.NewDigester(key)
	store, err := m.openStore(ctx, dir, *db)
	if err != nil {
		return err
	}
	// Closed after the server has shut down and its requests have ended.
	defer store.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()

	start := m.Now()
	reg, report, err := m.openRegistry(ctx, registryOptions{dataDir: dir, logger: log, threshold: *threshold})
	if err != nil {
		return err
	}
	for _, l := range reg.Lists() {
		log.Info("list loaded", "list", l.Name, "version", l.Version, "entries", l.Entries, "source", l.Source)
	}
	for _, o := range report.Refused() {
		log.Warn("list not loaded", "list", o.Name, "reason", o.Reason)
	}
	log.Info("lists ready", "took", m.Now().Sub(start).Round(time.Millisecond))

	api := &httpapi.Server{Screener: reg, Lists: reg, Logger: log}
	api.Ingest = &httpapi.IngestConfig{
		Store: store, Digest: digester, Canon: &ident.Canonicalizer{Digester: digester, DefaultRegion: *region},
		DefaultRegion: *region, MaxBytes: *maxIngest,
		Formats: formats.Config{KeyboardAndLocale: *keyboard, DayFirst: *dayFirst},
	}
	srv := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.keepListsFresh(ctx, reg, log, *refresh, *refreshFrom)
	}()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "data", dir, "store", storeKind(m.dbURL(*db)))
	if m.Listening != nil {
		m.Listening <- ln.Addr().String()
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
		shutdownCtx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		err = srv.Shutdown(shutdownCtx)
		stop()
	}
	cancel()
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// keepListsFresh refreshes the lists from their sources every interval
// (first soon after start), and picks up versions that `molehunt lists
// update` stored from another process. Failures are logged; the last good
// lists keep serving.
func (m *Main) keepListsFresh(ctx context.Context, reg *lists.Registry, log *slog.Logger, interval time.Duration, from string) {
	reload := time.NewTicker(30 * time.Second)
	defer reload.Stop()
	var refresh <-chan time.Time
	if interval > 0 {
		first := time.NewTimer(5 * time.Second)
		defer first.Stop()
		refresh = first.C
	}
	var every *time.Ticker
	for {
		select {
		case <-ctx.Done():
			if every != nil {
				every.Stop()
			}
			return
		case <-reload.C:
			if rep, err := reg.ReloadStored(ctx); err != nil {
				log.Warn("reload stored lists", "err", err)
			} else if rep.Swapped {
				log.Info("lists reloaded from the data directory")
			}
		case <-refresh:
			if every == nil {
				every = time.NewTicker(interval)
				refresh = every.C
			}
			rep, err := reg.Update(ctx, from)
			for _, o := range rep.Lists {
				switch o.Status {
				case lists.StatusUpdated:
					log.Info("list refreshed", "list", o.Name, "version", o.New.Version, "entries", o.New.Entries)
				case lists.StatusRefused:
					if o.Old != nil {
						log.Warn("list refresh refused; keeping the last good version", "list", o.Name, "version", o.Old.Version, "reason", o.Reason)
					} else {
						log.Warn("list refresh failed; the list is not loaded", "list", o.Name, "reason", o.Reason)
					}
				}
			}
			if err != nil {
				log.Warn("list refresh failed; keeping the last good lists", "err", err)
			}
		}
	}
}
