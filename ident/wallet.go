package ident

import "strings"

// Wallet returns the canonical form of a crypto-currency address, cased by
// its chain's rules: bech32/bech32m addresses (bc1…, ltc1…, tb1…) and
// CashAddr are case-insensitive and become lower-case; EVM addresses
// (0x + 40 hex) become lower-case, dropping the EIP-55 mixed-case checksum;
// base58 addresses (legacy Bitcoin, Tron, Solana, Monero, ...) are
// case-sensitive and kept as written. A "chain:" URI prefix
// ("bitcoin:", "ethereum:") and query parameters are removed.
func Wallet(s string) (string, error) {
	const op = "ident.Wallet"
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		// Positions come from s itself: lower-casing may change the byte
		// length of non-ASCII text.
		switch strings.ToLower(s[:i]) {
		case "bitcoincash", "bchtest", "ecash":
			// CashAddr keeps its prefix: it is part of the checksum.
			rest := strings.ToLower(s[i+1:])
			if !isCharset(rest, bech32Charset) {
				return "", invalid(op, "not a CashAddr address")
			}
			return strings.ToLower(s[:i]) + ":" + rest, nil
		}
		s = s[i+1:]
	}
	lower := strings.ToLower(s)
	switch {
	case s == "":
		return "", invalid(op, "empty wallet address")
	case strings.HasPrefix(lower, "0x"):
		if len(s) != 42 || !isCharset(lower[2:], "0123456789abcdef") {
			return "", invalid(op, "not an EVM address: want 0x and 40 hex digits")
		}
		return lower, nil
	case isBech32(s):
		return lower, nil
	case isCharset(s, base58Charset):
		if len(s) < 25 || len(s) > 110 {
			return "", invalid(op, "base58 address of %d characters", len(s))
		}
		return s, nil
	}
	return "", invalid(op, "not a recognised wallet address")
}

const (
	bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	base58Charset = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
)

// isBech32 reports a bech32 shape: human-readable part, '1', data in the
// bech32 alphabet, all in one case (mixed case is invalid bech32).
func isBech32(s string) bool {
	if s != strings.ToLower(s) && s != strings.ToUpper(s) {
		return false
	}
	l := strings.ToLower(s)
	sep := strings.LastIndexByte(l, '1')
	if sep < 1 || len(l)-sep-1 < 6 || len(l) > 120 {
		return false
	}
	for _, c := range l[:sep] {
		if c < 33 || c > 126 {
			return false
		}
	}
	return isCharset(l[sep+1:], bech32Charset)
}

func isCharset(s, charset string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune(charset, c) {
			return false
		}
	}
	return true
}
