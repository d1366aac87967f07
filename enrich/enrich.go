// Package enrich adds what public data says about the raw identifiers in
// events: the autonomous system, country and kind of network behind an IP
// address (hosting, VPN, Tor, mobile, residential, the DPRK's own address
// space), the country and line type of a phone number (VoIP flagged), and
// the kind of an e-mail domain (free-mail, disposable, role account).
//
// All data ships in the binary (see data/NOTICE.md and ipdb/SOURCES.md for
// sources, licences and dates), so enrichment works offline from a fresh
// clone; Refresh swaps in newer operator-supplied files at run time.
// Every result names the data versions it was computed from, so a signal
// built on it can be reproduced. Results are cached, bounded, per value.
//
// Enrichment describes networks, numbers and domains, never people: no
// name, nationality or language is an input here.
//
// The embedded files are rebuilt by "go generate" in this directory, which
// runs ./gen (pinned npm packages, integrity-checked).
package enrich

//go:generate go run ./gen

import (
	"context"
	"fmt"
	"maps"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"molehunt"
	"molehunt/enrich/ipdb"
)

// DefaultCacheSize is the number of results kept per kind (IP, phone,
// e-mail) when Options.CacheSize is zero.
const DefaultCacheSize = 1 << 16

// Options configures an Enricher. The zero value uses the embedded data
// and no Tor exit list.
type Options struct {
	// TorExits is the path of a Tor exit list: the Tor Project's
	// exit-addresses format, or one address a line. Empty: no Tor data,
	// and IPInfo.Tor is never set.
	TorExits string
	// CacheSize bounds each result cache; 0 means DefaultCacheSize and a
	// negative value turns caching off.
	CacheSize int
}

// Enricher answers enrichment questions. It is safe for concurrent use;
// Refresh may run while lookups do.
type Enricher struct {
	static    *static
	cacheSize int
	net       atomic.Pointer[netState]
	phones    *cache[string, PhoneInfo]
	emails    *cache[string, EmailInfo]
	// refreshMu serialises refreshes, so two cannot interleave their swaps.
	refreshMu sync.Mutex
}

// netState is the swappable network data: the IP database, the Tor exit
// list and the cache of results computed from them, replaced together so
// a cached result never outlives the data that produced it.
type netState struct {
	db         *ipdb.DB
	tor        *ipdb.Set
	torVersion string
	versions   map[string]string
	dataVer    string
	cache      *cache[[16]byte, IPInfo]
}

// New returns an Enricher over the embedded data, plus the Tor exit list
// if Options names one.
func New(opts Options) (*Enricher, error) {
	st, err := loadStatic()
	if err != nil {
		return nil, err
	}
	db, err := ipdb.Embedded()
	if err != nil {
		return nil, &molehunt.Error{Code: molehunt.EInternal, Op: "enrich.New", Message: "embedded IP database", Err: err}
	}
	size := opts.CacheSize
	if size == 0 {
		size = DefaultCacheSize
	}
	e := &Enricher{static: st, cacheSize: size}
	e.phones = newCache[string, PhoneInfo](size)
	e.emails = newCache[string, EmailInfo](size)
	tor, torVersion := emptyTor, "none"
	if opts.TorExits != "" {
		if tor, torVersion, err = readTorFile(opts.TorExits); err != nil {
			return nil, err
		}
	}
	e.net.Store(e.newNetState(db, tor, torVersion))
	return e, nil
}

var emptyTor = ipdb.NewSet(nil)

func (e *Enricher) newNetState(db *ipdb.DB, tor *ipdb.Set, torVersion string) *netState {
	ns := &netState{db: db, tor: tor, torVersion: torVersion, cache: newCache[[16]byte, IPInfo](e.cacheSize)}
	ns.versions = map[string]string{"ipdb": db.Version(), "netintel": e.static.versions["netintel"], "tor": torVersion}
	ns.dataVer = joinVersions(ns.versions)
	return ns
}

// joinVersions writes versions as "k=v; k=v" in key order: the
// DataVersion form.
func joinVersions(v map[string]string) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k + "=" + v[k])
	}
	return b.String()
}

// Versions returns the version of every data set in use, by name: ipdb,
// netintel, tor, free-email, disposable-email, suspicious-email,
// disposable-phone and phonenumbers.
func (e *Enricher) Versions() map[string]string {
	v := maps.Clone(e.static.versions)
	maps.Copy(v, e.net.Load().versions)
	return v
}

// RefreshFiles names operator-supplied files for Refresh. Empty fields
// keep the data in use.
type RefreshFiles struct {
	// Version names the new IP data ("2026-11-01", a release tag); it is
	// what results report as the ipdb version. Required with ASN/Country.
	Version string
	// ASN lists start,end,asn,org CSV files (IPv4, IPv6 or both), and
	// Country start,end,country files, in the @ip-location-db formats.
	// Give both or neither.
	ASN, Country []string
	// TorExits is a new Tor exit list (see Options.TorExits).
	TorExits string
}

// Refresh builds new network data from files aside, checks it, and swaps
// it in at once; on any error the data in use stays. The IP result cache
// starts empty with the new data.
func (e *Enricher) Refresh(ctx context.Context, f RefreshFiles) error {
	const op = "enrich.Refresh"
	e.refreshMu.Lock()
	defer e.refreshMu.Unlock()
	cur := e.net.Load()
	db, tor, torVersion := cur.db, cur.tor, cur.torVersion
	if len(f.ASN) > 0 || len(f.Country) > 0 {
		if len(f.ASN) == 0 || len(f.Country) == 0 || f.Version == "" {
			return molehunt.Errorf(molehunt.EInvalid, op, "IP data needs ASN files, country files and a version")
		}
		var err error
		if db, err = readIPDB(ctx, f.Version, f.ASN, f.Country); err != nil {
			return err
		}
	}
	if f.TorExits != "" {
		var err error
		if tor, torVersion, err = readTorFile(f.TorExits); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	e.net.Store(e.newNetState(db, tor, torVersion))
	return nil
}

// minRefreshEntries is the least number of IPv4 entries a refreshed IP
// database must have: a truncated or wrong file is refused rather than
// served (the full data has over 600,000).
const minRefreshEntries = 1000

func readIPDB(ctx context.Context, version string, asnFiles, countryFiles []string) (*ipdb.DB, error) {
	const op = "enrich.Refresh"
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	open := func(paths []string) ([]ipdb.Source, error) {
		var out []ipdb.Source
		for _, p := range paths {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			f, err := os.Open(p)
			if err != nil {
				return nil, &molehunt.Error{Code: molehunt.ENotFound, Op: op, Message: "open " + p, Err: err}
			}
			files = append(files, f)
			out = append(out, ipdb.Source{Name: p, R: f})
		}
		return out, nil
	}
	asn, err := open(asnFiles)
	if err != nil {
		return nil, err
	}
	country, err := open(countryFiles)
	if err != nil {
		return nil, err
	}
	db, err := ipdb.FromCSV(version, asn, country)
	if err != nil {
		return nil, err
	}
	if v4, _, _ := db.Stats(); v4 < minRefreshEntries {
		return nil, molehunt.Errorf(molehunt.EInvalid, op, "IP data has %d IPv4 entries; want at least %d", v4, minRefreshEntries)
	}
	return db, nil
}

func readTorFile(path string) (*ipdb.Set, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", &molehunt.Error{Code: molehunt.ENotFound, Op: "enrich", Message: "open Tor exit list " + path, Err: err}
	}
	defer f.Close()
	l, err := parseTorExits(path, f)
	if err != nil {
		return nil, "", err
	}
	v := fmt.Sprintf("%s (%d addresses", path, l.addresses)
	if l.newest != "" {
		v += ", newest " + l.newest
	}
	return l.set, v + ")", nil
}
