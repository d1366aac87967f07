package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"molehunt"
	"molehunt/lists"
	"molehunt/lists/snapshot"
	"molehunt/screening"
)

// Exit codes, documented in the README and in `molehunt help`.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	exitMatch = 3
)

// Main is the whole program, wired, so that tests can run it end to end.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
	// Listening, when set, receives the address `serve` listens on.
	Listening chan<- string
	// IsTerminal reports whether w is an interactive terminal (for progress bars).
	IsTerminal func(w io.Writer) bool
}

// NewMain returns a Main on the process's standard streams.
func NewMain() *Main {
	return &Main{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Now: time.Now, IsTerminal: isTerminal,
	}
}

// usageError marks a command-line mistake (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// matchFound marks a screening hit under --fail-on-match (exit code 3).
var errMatchFound = errors.New("a match was found")

const usageText = `molehunt finds covert workers of sanctioned states, with evidence.

Usage:
  molehunt serve  [--addr 127.0.0.1:8080] [--data DIR] [--db URL] [--refresh 24h]
  molehunt screen "NAME" [--dob D] [--country C] [--type person|company] [--threshold T] [--limit N] [--json] [--fail-on-match]
  molehunt screen --file people.csv|people.jsonl [--json] [--threshold T] [--fail-on-match]
  molehunt lists  [--data DIR] [--json]
  molehunt lists update [--from URL|DIR] [--max-shrink 0.2] [--timeout 2m] [--data DIR] [--json]
  molehunt ingest [--data DIR] [--db URL] [--source auto|FORMAT] [--json] [--progress-json] PATH...
  molehunt link rebuild [--data DIR] [--json]
  molehunt gen --workers N --months M --seed S --out DIR [--json]
  molehunt bench screen [--queries FILE] [--hangul FILE] [--seconds 3] [--json]
  molehunt bench ingest [--events N] [--db URL|none] [--batch N] [--json]
  molehunt version

Every command that touches stored data takes --data DIR (default: $MOLEHUNT_DATA, else
~/.local/share/molehunt); --db postgres://... (or $MOLEHUNT_DB) stores subjects and events
in PostgreSQL instead of SQLite in the data directory. Exit codes: 0 done, 1 error, 2 usage, 3 match found with --fail-on-match.
`

// Run runs one command and returns the process exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if m.Getenv == nil {
		m.Getenv = func(string) string { return "" }
	}
	if m.Now == nil {
		m.Now = time.Now
	}
	if m.IsTerminal == nil {
		m.IsTerminal = func(io.Writer) bool { return false }
	}
	if m.Stdin == nil {
		m.Stdin = strings.NewReader("")
	}
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usageText)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "serve":
		err = m.serve(ctx, args[1:])
	case "screen":
		err = m.screen(ctx, args[1:])
	case "lists":
		err = m.lists(ctx, args[1:])
	case "bench":
		err = m.bench(ctx, args[1:])
	case "ingest":
		err = m.ingestCmd(ctx, args[1:])
	case "gen":
		err = m.gen(ctx, args[1:])
	case "link":
		err = m.link(ctx, args[1:])
	case "version":
		fmt.Fprintln(m.Stdout, "molehunt", version)
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usageText)
	default:
		err = usagef("unknown command %q", args[0])
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errMatchFound):
		return exitMatch
	case errors.Is(err, flag.ErrHelp):
		return exitUsage
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "molehunt: %s\n\n%s", ue.msg, usageText)
		return exitUsage
	default:
		fmt.Fprintf(m.Stderr, "molehunt: %v\n", err)
		return exitError
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// flagSet returns a FlagSet that reports errors as usage errors.
func (m *Main) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs
}

// parseFlags parses flags that may come before or after positional
// arguments ("screen NAME --json" and "screen --json NAME" both work).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// dataDir resolves --data: the flag, then $MOLEHUNT_DATA, then the user's
// data directory.
func (m *Main) dataDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if d := m.Getenv("MOLEHUNT_DATA"); d != "" {
		return d, nil
	}
	if d := m.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "molehunt"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no --data given and no home directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "molehunt"), nil
}

// registryOptions configures the list registry for a command.
type registryOptions struct {
	dataDir   string
	maxShrink float64
	timeout   time.Duration
	logger    *slog.Logger
	threshold float64
	urls      map[molehunt.ListName]map[string]string
}

// openRegistry builds a registry over the data directory and loads the
// last good lists (or the bundled snapshot).
func (m *Main) openRegistry(ctx context.Context, o registryOptions) (*lists.Registry, lists.UpdateReport, error) {
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	reg, err := lists.New(lists.Config{
		DataDir:      o.dataDir,
		MaxShrink:    o.maxShrink,
		FetchTimeout: o.timeout,
		URLs:         o.urls,
		Logger:       o.logger,
		Now:          m.Now,
		Build: func(set molehunt.ListSet) (molehunt.Screener, error) {
			return screening.New(set, screening.Options{Threshold: o.threshold})
		},
	})
	if err != nil {
		return nil, lists.UpdateReport{}, err
	}
	// Loading allocates about 340 MB of short-lived garbage (parsers,
	// index construction) and keeps under 100 MB. Collecting during it
	// costs about a tenth of the time to ready (0.75-0.95 s against
	// 0.87-1.0 s, `molehunt lists`, peak RSS 355 MB against 280 MB), so the collector waits until the load is
	// done, unless the heap passes 1 GiB.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 30))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	files, err := snapshot.Files()
	if err != nil {
		return nil, lists.UpdateReport{}, fmt.Errorf("open the bundled list snapshot: %w", err)
	}
	report, err := reg.Load(ctx, files)
	if err != nil {
		return nil, report, err
	}
	return reg, report, nil
}

func (m *Main) logger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
}
