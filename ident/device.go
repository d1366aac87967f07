package ident

import (
	"net/netip"
	"strings"
	"unicode"
)

// DeviceSerial returns a hardware serial number upper-cased, with spaces
// and other white space removed. Vendors print serials with spacing that
// varies; the characters themselves are kept, dashes included.
func DeviceSerial(s string) (string, error) {
	out := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	switch {
	case out == "":
		return "", invalid("ident.DeviceSerial", "empty serial number")
	case isPlaceholderSerial(out):
		// Virtual machines and white-box boards report these; they would
		// join every such device with every other.
		return "", invalid("ident.DeviceSerial", "placeholder serial number %q", out)
	}
	return out, nil
}

func isPlaceholderSerial(s string) bool {
	switch s {
	case "0", "NONE", "N/A", "NA", "NULL", "UNKNOWN", "DEFAULTSTRING", "DEFAULT", "TOBEFILLEDBYO.E.M.",
		"SYSTEMSERIALNUMBER", "0123456789", "123456789", "NOTSPECIFIED", "NOTAPPLICABLE":
		return true
	}
	return strings.Trim(s, "0") == "" || strings.Trim(s, "F") == ""
}

// HardwareUUID returns a hardware (SMBIOS) UUID as 8-4-4-4-12 upper-case
// hex. Braces, spaces and missing dashes are accepted; all-zero and
// all-F UUIDs, which unconfigured boards report, are refused.
func HardwareUUID(s string) (string, error) {
	const op = "ident.HardwareUUID"
	h := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == '{' || r == '}' || unicode.IsSpace(r):
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	if len(h) != 32 || !isCharset(h, "0123456789ABCDEF") {
		return "", invalid(op, "not a UUID: want 32 hex digits")
	}
	if strings.Trim(h, "0") == "" || strings.Trim(h, "F") == "" {
		return "", invalid(op, "placeholder UUID")
	}
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// MAC returns a 48-bit MAC address as lower-case colon-separated pairs.
// Colons, dashes, dots (Cisco "0011.2233.4455") or no separators are
// accepted. The all-zero and broadcast addresses are refused.
func MAC(s string) (string, error) {
	const op = "ident.MAC"
	h := strings.Map(func(r rune) rune {
		switch r {
		case ':', '-', '.', ' ':
			return -1
		}
		return unicode.ToLower(r)
	}, strings.TrimSpace(s))
	if len(h) != 12 || !isCharset(h, "0123456789abcdef") {
		return "", invalid(op, "not a MAC address: want 12 hex digits")
	}
	if h == "000000000000" || h == "ffffffffffff" {
		return "", invalid(op, "placeholder MAC address")
	}
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String(), nil
}

// IP returns an IP address in net/netip canonical form: IPv4 dotted quad
// (an IPv4-mapped IPv6 address is unmapped), IPv6 compressed lower-case,
// no zone. A port ("1.2.3.4:443", "[::1]:443") is removed.
func IP(s string) (string, error) {
	a, err := ParseIP(s)
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// ParseIP is IP returning a netip.Addr.
func ParseIP(s string) (netip.Addr, error) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, invalid("ident.IP", "not an IP address")
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), nil
}
