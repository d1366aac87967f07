package ipdb

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"molehunt"
)

// Source is one operator-supplied CSV file: Name is used in errors.
type Source struct {
	Name string
	R    io.Reader
}

// span is one CSV row: an inclusive range and the index of its value.
type span struct {
	start, end u128
	val        uint32
}

// point starts a stretch of the partition: from at up to the next point's
// at, the value is val (0: none).
type point struct {
	at  u128
	val uint32
}

type mpoint struct {
	at u128
	as uint32
	cc uint16
}

// builder interns ASes and countries while rows are read.
type builder struct {
	asIndex map[AS]uint32
	as      []AS
	ccIndex map[string]uint16
	cc      []string
	asn     [2][]span // [0] IPv4, [1] IPv6
	country [2][]span
}

func newBuilder() *builder {
	return &builder{
		asIndex: map[AS]uint32{}, as: []AS{{}},
		ccIndex: map[string]uint16{}, cc: []string{""},
	}
}

// FromCSV builds a database from ASN files (start,end,asn,org) and country
// files (start,end,country), each holding IPv4 or IPv6 rows or both, in
// the format of @ip-location-db/asn and @ip-location-db/*-country.
// Overlapping rows are clipped: the row starting first wins. A bad row is
// a *molehunt.RecordError naming file, line and field.
func FromCSV(version string, asn, country []Source) (*DB, error) {
	b := newBuilder()
	for _, s := range asn {
		if err := b.read(s, true); err != nil {
			return nil, err
		}
	}
	for _, s := range country {
		if err := b.read(s, false); err != nil {
			return nil, err
		}
	}
	return b.build(version), nil
}

func (b *builder) read(src Source, isASN bool) error {
	r := csv.NewReader(src.R)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	want := 3
	if isASN {
		want = 4
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		var line int
		fail := func(field string, err error) error {
			return &molehunt.RecordError{File: src.Name, Record: "line " + strconv.Itoa(line), Field: field, Err: err}
		}
		if err != nil {
			// FieldPos panics after a failed Read; the error has the line.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return fail("", err)
		}
		line, _ = r.FieldPos(0)
		if len(rec) < want {
			return fail("", fmt.Errorf("%d fields; want %d", len(rec), want))
		}
		start, err := netip.ParseAddr(strings.TrimSpace(rec[0]))
		if err != nil {
			return fail("start", errors.New("not an IP address"))
		}
		end, err := netip.ParseAddr(strings.TrimSpace(rec[1]))
		if err != nil {
			return fail("end", errors.New("not an IP address"))
		}
		start, end = start.Unmap(), end.Unmap()
		if start.Is4() != end.Is4() || start.Zone() != "" || end.Zone() != "" {
			return fail("end", errors.New("start and end are of different families"))
		}
		if end.Less(start) {
			return fail("end", errors.New("end before start"))
		}
		fam := 1
		if start.Is4() {
			fam = 0
		}
		sp := span{start: fromAddr(start), end: fromAddr(end)}
		if isASN {
			n, err := strconv.ParseUint(strings.TrimSpace(rec[2]), 10, 32)
			if err != nil {
				return fail("asn", errors.New("not an AS number"))
			}
			if n == 0 {
				continue // AS0: "not routed", the same as no row
			}
			as := AS{Number: uint32(n), Org: strings.TrimSpace(rec[3])}
			i, ok := b.asIndex[as]
			if !ok {
				i = uint32(len(b.as))
				b.asIndex[as] = i
				b.as = append(b.as, as)
			}
			sp.val = i
			b.asn[fam] = append(b.asn[fam], sp)
		} else {
			c := strings.ToUpper(strings.TrimSpace(rec[2]))
			if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
				return fail("country", errors.New("not a two-letter country code"))
			}
			i, ok := b.ccIndex[c]
			if !ok {
				if len(b.cc) > 1<<16-1 {
					return fail("country", errors.New("too many distinct countries"))
				}
				i = uint16(len(b.cc))
				b.ccIndex[c] = i
				b.cc = append(b.cc, c)
			}
			sp.val = uint32(i)
			b.country[fam] = append(b.country[fam], sp)
		}
	}
}

func (b *builder) build(version string) *DB {
	// Sort the AS table by number so that the encoded form is compact and
	// the same input always gives the same bytes.
	order := make([]uint32, len(b.as))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order[1:], func(x, y uint32) int {
		return cmp.Or(cmp.Compare(b.as[x].Number, b.as[y].Number), strings.Compare(b.as[x].Org, b.as[y].Org))
	})
	remapAS := make([]uint32, len(b.as))
	db := &DB{version: version, as: make([]AS, len(b.as))}
	for newi, old := range order {
		remapAS[old] = uint32(newi)
		db.as[newi] = b.as[old]
	}
	// Sort countries too, for the same reason.
	ccOrder := make([]uint16, len(b.cc))
	for i := range ccOrder {
		ccOrder[i] = uint16(i)
	}
	slices.SortFunc(ccOrder[1:], func(x, y uint16) int { return strings.Compare(b.cc[x], b.cc[y]) })
	remapCC := make([]uint16, len(b.cc))
	db.cc = make([]string, len(b.cc))
	for newi, old := range ccOrder {
		remapCC[old] = uint16(newi)
		db.cc[newi] = b.cc[old]
	}
	for fam := range 2 {
		v4 := fam == 0
		for i := range b.asn[fam] {
			b.asn[fam][i].val = remapAS[b.asn[fam][i].val]
		}
		for i := range b.country[fam] {
			b.country[fam][i].val = uint32(remapCC[b.country[fam][i].val])
		}
		pts := merge(partition(b.asn[fam], v4), partition(b.country[fam], v4))
		if v4 {
			db.v4start = make([]uint32, len(pts))
			db.v4as = make([]uint32, len(pts))
			db.v4cc = make([]uint16, len(pts))
			for i, p := range pts {
				db.v4start[i], db.v4as[i], db.v4cc[i] = uint32(p.at.lo), p.as, p.cc
			}
		} else {
			db.v6start = make([]u128, len(pts))
			db.v6as = make([]uint32, len(pts))
			db.v6cc = make([]uint16, len(pts))
			for i, p := range pts {
				db.v6start[i], db.v6as[i], db.v6cc[i] = p.at, p.as, p.cc
			}
		}
	}
	db.index()
	return db
}

// partition turns rows into a partition of the family's address space
// that starts at address 0: gaps get value 0 and neighbours with equal
// values coalesce. Where rows overlap, the one starting later wins for
// the stretch they share, so a nested, more specific row (a geofeed /32
// inside a whois /23, as the published data has) overrides its container,
// which resumes after it.
func partition(spans []span, v4 bool) []point {
	slices.SortStableFunc(spans, func(x, y span) int {
		switch {
		case x.start.less(y.start):
			return -1
		case y.start.less(x.start):
			return 1
		case y.end.less(x.end): // wider first, so the narrower overrides it
			return -1
		case x.end.less(y.end):
			return 1
		}
		return 0
	})
	last := familyMax(v4)
	pts := make([]point, 0, 2*len(spans)+1)
	push := func(at u128, val uint32) {
		if n := len(pts); n > 0 {
			if pts[n-1].at == at {
				pts[n-1].val = val
				if n > 1 && pts[n-2].val == val {
					pts = pts[:n-1]
				}
				return
			}
			if pts[n-1].val == val {
				return
			}
		}
		pts = append(pts, point{at, val})
	}
	push(u128{}, 0)
	// stack holds the rows covering the current address, innermost on
	// top; their ends strictly decrease towards the top.
	var stack []span
	top := func() uint32 {
		if len(stack) == 0 {
			return 0
		}
		return stack[len(stack)-1].val
	}
	// closeBefore pops rows that end before at, resuming the row beneath.
	closeBefore := func(at u128, all bool) {
		for len(stack) > 0 {
			t := stack[len(stack)-1]
			if !all && !t.end.less(at) {
				return
			}
			stack = stack[:len(stack)-1]
			if t.end == last {
				return
			}
			push(t.end.addOne(), top())
		}
	}
	for _, s := range spans {
		if last.less(s.end) {
			s.end = last
		}
		closeBefore(s.start, false)
		for len(stack) > 0 && !s.end.less(stack[len(stack)-1].end) {
			stack = stack[:len(stack)-1] // shadowed by s to its end
		}
		push(s.start, s.val)
		stack = append(stack, s)
	}
	closeBefore(u128{}, true)
	return pts
}

// merge overlays two partitions into one whose entries carry both values.
func merge(a, c []point) []mpoint {
	out := make([]mpoint, 0, len(a)+len(c))
	var curA, curC uint32
	i, j := 0, 0
	for i < len(a) || j < len(c) {
		var at u128
		switch {
		case i == len(a):
			at = c[j].at
		case j == len(c):
			at = a[i].at
		case c[j].at.less(a[i].at):
			at = c[j].at
		default:
			at = a[i].at
		}
		if i < len(a) && a[i].at == at {
			curA = a[i].val
			i++
		}
		if j < len(c) && c[j].at == at {
			curC = c[j].val
			j++
		}
		if n := len(out); n > 0 && out[n-1].as == curA && out[n-1].cc == uint16(curC) {
			continue
		}
		out = append(out, mpoint{at, curA, uint16(curC)})
	}
	return out
}
