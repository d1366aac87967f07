package ipdb

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"molehunt"
)

// The encoded form, inside gzip, is:
//
//	magic "MHIPDB1\n"
//	version                  uvarint length + bytes
//	countries                uvarint n, then n two-letter codes (index 0, none, is implicit)
//	systems                  uvarint n, then n × (uvarint AS-number delta, uvarint length + org)
//	IPv4                     uvarint n, then columns: n start deltas, n AS indexes, n country indexes
//	IPv6                     uvarint n, then columns: n start deltas (uvarint high, uvarint low), n AS indexes, n country indexes
//
// Columns compress better than rows: each holds numbers of one kind.
const magic = "MHIPDB1\n"

// maxEntries bounds every count read, so a corrupt file cannot make Read
// allocate without limit.
const maxEntries = 1 << 24

// Write writes db in its encoded, gzip-compressed form. The output is a
// function of the data only (no time stamps), so a rebuild is byte-for-byte
// reproducible.
func (db *DB) Write(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	var buf [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], x)]) }
	str := func(s string) { uv(uint64(len(s))); bw.WriteString(s) }

	bw.WriteString(magic)
	str(db.version)
	uv(uint64(len(db.cc) - 1))
	for _, c := range db.cc[1:] {
		bw.WriteString(c)
	}
	uv(uint64(len(db.as) - 1))
	var prev uint32
	for _, a := range db.as[1:] {
		uv(uint64(a.Number - prev))
		prev = a.Number
		str(a.Org)
	}
	uv(uint64(len(db.v4start)))
	prev = 0
	for _, s := range db.v4start {
		uv(uint64(s - prev))
		prev = s
	}
	for _, a := range db.v4as {
		uv(uint64(a))
	}
	for _, c := range db.v4cc {
		uv(uint64(c))
	}
	uv(uint64(len(db.v6start)))
	var prev6 u128
	for _, s := range db.v6start {
		d := s.sub(prev6)
		uv(d.hi)
		uv(d.lo)
		prev6 = s
	}
	for _, a := range db.v6as {
		uv(uint64(a))
	}
	for _, c := range db.v6cc {
		uv(uint64(c))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// Read decodes a database written by Write. name is used in errors, which
// are *molehunt.RecordError naming the section that is bad.
func Read(r io.Reader, name string) (db *DB, err error) {
	section := "header"
	fail := func(e error) error {
		return &molehunt.RecordError{File: name, Record: section, Err: e}
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fail(err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<16)
	var rerr error
	uv := func() uint64 {
		if rerr != nil {
			return 0
		}
		x, e := binary.ReadUvarint(br)
		if e != nil {
			rerr = e
		}
		return x
	}
	count := func() int {
		n := uv()
		if n > maxEntries {
			if rerr == nil {
				rerr = fmt.Errorf("count %d exceeds %d", n, maxEntries)
			}
			return 0
		}
		return int(n)
	}
	bytesN := func(n int) []byte {
		if rerr != nil {
			return nil
		}
		b := make([]byte, n)
		if _, e := io.ReadFull(br, b); e != nil {
			rerr = e
		}
		return b
	}
	check := func() error {
		if rerr == nil {
			return nil
		}
		if rerr == io.EOF {
			rerr = io.ErrUnexpectedEOF
		}
		return fail(rerr)
	}

	if string(bytesN(len(magic))) != magic {
		if err := check(); err != nil {
			return nil, err
		}
		return nil, fail(errors.New("not an ipdb file (bad magic)"))
	}
	db = &DB{}
	db.version = string(bytesN(count()))
	if err := check(); err != nil {
		return nil, err
	}

	section = "countries"
	ncc := count()
	if ncc >= 1<<16 {
		return nil, fail(fmt.Errorf("%d countries; at most %d", ncc, 1<<16-1))
	}
	raw := bytesN(2 * ncc)
	if err := check(); err != nil {
		return nil, err
	}
	db.cc = make([]string, ncc+1)
	for i := range ncc {
		db.cc[i+1] = string(raw[2*i : 2*i+2])
	}

	section = "systems"
	nas := count()
	if err := check(); err != nil {
		return nil, err
	}
	db.as = make([]AS, 1, nas+1)
	var num uint64
	for range nas {
		num += uv()
		org := bytesN(count())
		if err := check(); err != nil {
			return nil, err
		}
		if num > 1<<32-1 {
			return nil, fail(fmt.Errorf("AS number %d out of range", num))
		}
		db.as = append(db.as, AS{Number: uint32(num), Org: string(org)})
	}

	index := func(nas, ncc int, as []uint32, cc []uint16) error {
		for i := range as {
			x := uv()
			if x > uint64(nas) {
				return fail(fmt.Errorf("entry %d: AS index %d out of range", i, x))
			}
			as[i] = uint32(x)
		}
		for i := range cc {
			x := uv()
			if x > uint64(ncc) {
				return fail(fmt.Errorf("entry %d: country index %d out of range", i, x))
			}
			cc[i] = uint16(x)
		}
		return check()
	}

	section = "ipv4"
	n := count()
	if err := check(); err != nil {
		return nil, err
	}
	db.v4start, db.v4as, db.v4cc = make([]uint32, n), make([]uint32, n), make([]uint16, n)
	var prev uint64
	for i := range n {
		d := uv()
		if i > 0 && d == 0 {
			return nil, fail(fmt.Errorf("entry %d: starts not increasing", i))
		}
		prev += d
		if prev > 1<<32-1 {
			return nil, fail(fmt.Errorf("entry %d: start beyond the IPv4 space", i))
		}
		db.v4start[i] = uint32(prev)
	}
	if err := check(); err != nil {
		return nil, err
	}
	if err := index(nas, ncc, db.v4as, db.v4cc); err != nil {
		return nil, err
	}

	section = "ipv6"
	n = count()
	if err := check(); err != nil {
		return nil, err
	}
	db.v6start, db.v6as, db.v6cc = make([]u128, n), make([]uint32, n), make([]uint16, n)
	var prev6 u128
	for i := range n {
		d := u128{uv(), uv()}
		next := prev6.add(d)
		if i > 0 && !prev6.less(next) {
			return nil, fail(fmt.Errorf("entry %d: starts not increasing", i))
		}
		prev6 = next
		db.v6start[i] = next
	}
	if err := check(); err != nil {
		return nil, err
	}
	if err := index(nas, ncc, db.v6as, db.v6cc); err != nil {
		return nil, err
	}
	if _, e := br.ReadByte(); e != io.EOF {
		return nil, fail(errors.New("trailing data"))
	}
	db.index()
	return db, nil
}
