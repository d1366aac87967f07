package ipdb

import (
	"encoding/binary"
	"net/netip"
)

// u128 is an address as a 128-bit number: IPv6 whole, IPv4 in lo. Range
// arithmetic (the address after a range's end, the gap between two
// starts) needs numbers, which netip.Addr does not offer.
type u128 struct{ hi, lo uint64 }

func fromAddr(a netip.Addr) u128 {
	if a.Is4() {
		b := a.As4()
		return u128{lo: uint64(binary.BigEndian.Uint32(b[:]))}
	}
	b := a.As16()
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

func (a u128) addOne() u128 {
	lo := a.lo + 1
	hi := a.hi
	if lo == 0 {
		hi++
	}
	return u128{hi, lo}
}

func (a u128) sub(b u128) u128 {
	lo := a.lo - b.lo
	hi := a.hi - b.hi
	if a.lo < b.lo {
		hi--
	}
	return u128{hi, lo}
}

func (a u128) add(b u128) u128 {
	lo := a.lo + b.lo
	hi := a.hi + b.hi
	if lo < a.lo {
		hi++
	}
	return u128{hi, lo}
}

// familyMax is the last address of a family: 255.255.255.255 or all ones.
func familyMax(v4 bool) u128 {
	if v4 {
		return u128{lo: 0xffffffff}
	}
	return u128{^uint64(0), ^uint64(0)}
}
