// Package lists keeps the sanctions lists molehunt screens against: it knows
// each list's files and official download addresses, loads the bundled
// snapshot or the last good version from the data directory, refreshes from
// the official sources or from files, validates what it fetched, builds the
// new index aside and swaps it in atomically. Whatever fails, the last good
// version keeps serving.
//
// The parsers live in sub-packages (ofac, un, uscsl, eu, uk), one per source
// format; this package wires them. It does not know how an index is built:
// the caller passes a Build function, so the lists capability does not
// depend on the screening capability.
package lists

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"molehunt"
)

// Source is one list's way in: the files it reads, where they are
// published, and the parser that maps them to entries.
type Source struct {
	Name molehunt.ListName
	// Files are the base names the parser reads. A file the source lacks is
	// passed as absent; Parse decides whether that is an error.
	Files []string
	// URLs maps a file name to its official download address. A file with
	// no URL is only read from directories.
	URLs map[string]string
	// Optional sources may be missing from the snapshot and from an update
	// without that being an error (no full EU or UK file ships yet).
	Optional bool
	// Parse maps the files to entries; version is the list's own date when
	// the format carries one, else "".
	Parse func(files map[string][]byte) (entries []molehunt.ListEntry, version string, err error)
}

// Served is one consistent generation of lists and the index built on them.
type Served struct {
	Lists    []molehunt.ListInfo
	Entries  map[molehunt.ListName][]molehunt.ListEntry
	Screener molehunt.Screener
}

// Config configures a Registry. Zero values take the defaults noted.
type Config struct {
	Sources []Source // default: DefaultSources()
	// DataDir keeps the last good version of each list; "" keeps them in
	// memory only.
	DataDir string
	// MaxShrink is the largest share of entries a list may lose in one
	// update before it is refused as probably truncated. Default 0.2; a
	// negative value disables the check.
	MaxShrink float64
	// HTTPClient fetches official files. Default: a client with FetchTimeout.
	HTTPClient *http.Client
	// FetchTimeout bounds each download. Default 2 minutes.
	FetchTimeout time.Duration
	// MaxFileBytes bounds each download. Default 512 MiB.
	MaxFileBytes int64
	// URLs overrides official addresses: list name → file name → URL.
	URLs map[molehunt.ListName]map[string]string
	// Build makes a screener from a list set. Required.
	Build  func(molehunt.ListSet) (molehunt.Screener, error)
	Now    func() time.Time
	Logger *slog.Logger
}

// Registry serves the current generation of lists and replaces it.
type Registry struct {
	cfg     Config
	current atomic.Pointer[Served]
	// updating serialises refreshes; readers never wait on it.
	updating sync.Mutex
}

// New returns a Registry with nothing loaded: Ready is false until Load or
// Update succeeds.
func New(cfg Config) (*Registry, error) {
	if cfg.Build == nil {
		return nil, errors.New("lists.New: Config.Build is required")
	}
	if cfg.Sources == nil {
		cfg.Sources = DefaultSources()
	}
	if cfg.MaxShrink == 0 {
		cfg.MaxShrink = 0.2
	}
	if cfg.FetchTimeout == 0 {
		cfg.FetchTimeout = 2 * time.Minute
	}
	if cfg.MaxFileBytes == 0 {
		cfg.MaxFileBytes = 512 << 20
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: cfg.FetchTimeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Registry{cfg: cfg}, nil
}

// Current returns the generation being served, or nil before the first load.
func (r *Registry) Current() *Served { return r.current.Load() }

// Ready reports whether a good generation is being served.
func (r *Registry) Ready() bool { return r.current.Load() != nil }

// Lists returns the versions being served, sorted by name.
func (r *Registry) Lists() []molehunt.ListInfo {
	s := r.current.Load()
	if s == nil {
		return nil
	}
	return append([]molehunt.ListInfo(nil), s.Lists...)
}

// Screen screens against the current generation. It implements
// molehunt.Screener, so callers hold the registry and always see the latest
// good lists.
func (r *Registry) Screen(ctx context.Context, q molehunt.ScreenQuery) (molehunt.ScreenResult, error) {
	s := r.current.Load()
	if s == nil {
		return molehunt.ScreenResult{}, molehunt.Errorf(molehunt.EUnavailable, "screen", "no sanctions list is loaded yet")
	}
	return s.Screener.Screen(ctx, q)
}

var _ molehunt.Screener = (*Registry)(nil)

// ListStatus says what an update did to one list.
type ListStatus string

// The statuses of a list after an update.
const (
	StatusUpdated   ListStatus = "updated"
	StatusUnchanged ListStatus = "unchanged"
	StatusRefused   ListStatus = "refused" // fetched or parsed badly, or shrank too much: the old version stays
	StatusMissing   ListStatus = "missing" // the source had no files for this list
)

// ListOutcome reports one list's update.
type ListOutcome struct {
	Name   molehunt.ListName  `json:"name"`
	Status ListStatus         `json:"status"`
	Reason string             `json:"reason,omitempty"`
	Old    *molehunt.ListInfo `json:"old,omitempty"`
	New    *molehunt.ListInfo `json:"new,omitempty"`
}

// UpdateReport is the outcome of Load or Update, list by list.
type UpdateReport struct {
	Lists   []ListOutcome `json:"lists"`
	Swapped bool          `json:"swapped"` // a new generation is being served
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Refused returns the outcomes that were refused.
func (u UpdateReport) Refused() []ListOutcome {
	var out []ListOutcome
	for _, l := range u.Lists {
		if l.Status == StatusRefused {
			out = append(out, l)
		}
	}
	return out
}

// fileSet is the raw input of one list.
type fileSet struct {
	files  map[string][]byte
	origin string // "snapshot", a URL or a directory
}

// parsed is one list parsed and checked, not yet served.
type parsed struct {
	info    molehunt.ListInfo
	entries []molehunt.ListEntry
	files   map[string][]byte
}

// ContentHash is the SHA-256 over a list's files, in name order, each
// preceded by its name and length so that moving bytes between files
// changes the hash.
func ContentHash(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// parse runs a source's parser on its files and stamps the version, hash
// and load time on every entry.
func (r *Registry) parse(src Source, in fileSet) (parsed, error) {
	start := r.cfg.Now()
	entries, version, err := src.Parse(in.files)
	if err != nil {
		return parsed{}, fmt.Errorf("parse %s from %s: %w", src.Name, in.origin, err)
	}
	if len(entries) == 0 {
		return parsed{}, fmt.Errorf("parse %s from %s: no entries", src.Name, in.origin)
	}
	hash := ContentHash(in.files)
	if version == "" {
		version = "sha256:" + hash[:12]
	}
	for i := range entries {
		entries[i].ListVersion = version
		entries[i].ContentHash = hash
		if err := entries[i].Validate(); err != nil {
			return parsed{}, fmt.Errorf("parse %s from %s: entry %d: %w", src.Name, in.origin, i, err)
		}
	}
	r.cfg.Logger.Debug("parsed list", "list", src.Name, "entries", len(entries), "took", r.cfg.Now().Sub(start))
	return parsed{
		info: molehunt.ListInfo{
			Name: src.Name, Version: version, Hash: hash, Entries: len(entries),
			Source: in.origin, LoadedAt: r.cfg.Now().UTC(),
		},
		entries: entries,
		files:   in.files,
	}, nil
}
