package ipdb

import (
	"net/netip"
	"slices"
)

// Set is an immutable set of address ranges (a list of CIDR prefixes,
// merged), answering membership by binary search without allocating. It
// holds the hosting and VPN range lists.
type Set struct {
	v4 []uint32 // start, end, start, end, ... sorted, disjoint, not adjacent
	v6 []u128
}

// NewSet returns the set of addresses covered by any of prefixes.
// Invalid prefixes are ignored.
func NewSet(prefixes []netip.Prefix) *Set {
	var v4, v6 []span
	for _, p := range prefixes {
		if !p.IsValid() {
			continue
		}
		p = p.Masked()
		first := p.Addr()
		sp := span{start: fromAddr(first), end: fromAddr(lastAddr(p))}
		if first.Is4() {
			v4 = append(v4, sp)
		} else {
			v6 = append(v6, sp)
		}
	}
	s := &Set{}
	for _, r := range union(v4) {
		s.v4 = append(s.v4, uint32(r.start.lo), uint32(r.end.lo))
	}
	for _, r := range union(v6) {
		s.v6 = append(s.v6, r.start, r.end)
	}
	return s
}

// Len returns the number of disjoint ranges in the set.
func (s *Set) Len() int { return (len(s.v4) + len(s.v6)) / 2 }

// Contains reports whether a is in the set. IPv4-mapped IPv6 addresses
// count as IPv4.
func (s *Set) Contains(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is4() {
		b := a.As4()
		x := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		n := len(s.v4) / 2
		lo, hi := 0, n
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if s.v4[2*m] <= x {
				lo = m + 1
			} else {
				hi = m
			}
		}
		return lo > 0 && x <= s.v4[2*(lo-1)+1]
	}
	if !a.Is6() {
		return false
	}
	x := fromAddr(a)
	n := len(s.v6) / 2
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !x.less(s.v6[2*m]) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo > 0 && !s.v6[2*(lo-1)+1].less(x)
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().As16()
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	for i := bits; i < 128; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	a := netip.AddrFrom16(b)
	if p.Addr().Is4() {
		a = a.Unmap()
	}
	return a
}

// union sorts ranges and merges overlapping and adjacent ones.
func union(r []span) []span {
	slices.SortFunc(r, func(x, y span) int {
		if x.start.less(y.start) {
			return -1
		}
		if y.start.less(x.start) {
			return 1
		}
		return 0
	})
	var out []span
	for _, s := range r {
		if n := len(out); n > 0 {
			last := &out[n-1]
			// Adjacent (last.end+1 == s.start) or overlapping: extend,
			// unless last.end is the family's last address.
			if !last.end.less(s.start) || (last.end.addOne() == s.start && last.end.addOne() != (u128{})) {
				if last.end.less(s.end) {
					last.end = s.end
				}
				continue
			}
		}
		out = append(out, s)
	}
	return out
}
