// Package ipdb maps an IP address to its autonomous system (number and
// organisation) and its registration country, from range tables in the
// CSV form of the ip-location-db project (start,end,asn,org and
// start,end,country).
//
// The two tables are merged into one partition of the address space per
// family, so one binary search answers both questions. A compact form of
// that partition (ipdb.bin.gz, built by ../gen from pinned npm packages,
// see SOURCES.md) is embedded, so a fresh clone works offline; FromCSV
// builds a newer one from operator-supplied files at run time.
package ipdb

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"net/netip"
	"sync"
)

// DB is an immutable IP → (AS, country) table. It is safe for concurrent
// use.
type DB struct {
	version string

	v4start []uint32
	v4as    []uint32
	v4cc    []uint16
	v4idx   []uint32 // v4idx[h]: first entry whose start's top 16 bits are ≥ h; 65537 long

	v6start []u128
	v6as    []uint32
	v6cc    []uint16
	v6idx   []uint32 // as v4idx, over the top v6IndexBits bits of IPv6 starts

	as []AS     // index 0: no AS
	cc []string // index 0: no country
}

// AS is an autonomous system as the data names it.
type AS struct {
	Number uint32
	Org    string
}

// Result is what the data says about one address. Zero fields mean the
// data does not cover the address (unrouted, private, or absent).
type Result struct {
	ASN     uint32
	Org     string
	Country string // ISO 3166-1 alpha-2, upper case
}

// Version returns the data version the database was built from: for the
// embedded one, the date and the npm package versions.
func (db *DB) Version() string { return db.version }

// Stats returns the number of partition entries per family and of
// distinct autonomous systems, for reports and sanity checks.
func (db *DB) Stats() (v4, v6, systems int) {
	return len(db.v4start), len(db.v6start), len(db.as) - 1
}

// Lookup returns the AS and country of a. It does not allocate. IPv4-mapped
// IPv6 addresses are looked up as IPv4; the zero Addr gives a zero Result.
func (db *DB) Lookup(a netip.Addr) Result {
	a = a.Unmap()
	var as uint32
	var cc uint16
	switch {
	case a.Is4():
		b := a.As4()
		x := binary.BigEndian.Uint32(b[:])
		s := db.v4start
		h := x >> 16
		lo, hi := int(db.v4idx[h]), int(db.v4idx[h+1])
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if s[m] <= x {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo == 0 {
			return Result{}
		}
		as, cc = db.v4as[lo-1], db.v4cc[lo-1]
	case a.Is6():
		x := fromAddr(a)
		s := db.v6start
		h := x.hi >> (64 - v6IndexBits)
		lo, hi := int(db.v6idx[h]), int(db.v6idx[h+1])
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if !x.less(s[m]) {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo == 0 {
			return Result{}
		}
		as, cc = db.v6as[lo-1], db.v6cc[lo-1]
	default:
		return Result{}
	}
	r := Result{Country: db.cc[cc]}
	if as != 0 {
		r.ASN, r.Org = db.as[as].Number, db.as[as].Org
	}
	return r
}

// v6IndexBits is the width of the IPv6 first-level index. Routed IPv6
// space crowds into 2000::/3, so buckets stay large; 20 bits (4 MB) were
// measured no faster than 16 on this data, so 16 it is.
const v6IndexBits = 16

// index builds the first-level indexes that narrow each binary search to
// the entries sharing the address's top 16 bits, which halves the probes
// into the large start arrays (and their cache misses).
func (db *DB) index() {
	db.v4idx = make([]uint32, 1<<16+1)
	db.v6idx = make([]uint32, 1<<v6IndexBits+1)
	fill := func(idx []uint32, n int, top func(int) int) {
		i := 0
		for h := range len(idx) - 1 {
			for i < n && top(i) < h {
				i++
			}
			idx[h] = uint32(i)
		}
		idx[len(idx)-1] = uint32(n)
	}
	fill(db.v4idx, len(db.v4start), func(i int) int { return int(db.v4start[i] >> 16) })
	fill(db.v6idx, len(db.v6start), func(i int) int { return int(db.v6start[i].hi >> (64 - v6IndexBits)) })
}

//go:embed ipdb.bin.gz
var embedded []byte

var embeddedDB = sync.OnceValues(func() (*DB, error) {
	return Read(bytes.NewReader(embedded), "ipdb.bin.gz")
})

// Embedded returns the database shipped in the binary. It is decoded once
// (about a tenth of a second) and shared by every caller.
func Embedded() (*DB, error) { return embeddedDB() }
