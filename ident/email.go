// Package ident turns identifying values as sources write them into the
// canonical molehunt.Identifier forms that link subjects: two spellings of
// one e-mail address, phone number, bank account or device must become the
// same string, and two different ones must not.
//
// Each kind has its own function (Email, Phone, Wallet, Address, ...);
// Canonicalizer dispatches by kind for parsers. Bank accounts and
// government IDs become keyed HMAC-SHA256 digests (Digester), so the
// numbers themselves are never stored; LoadOrCreateKey keeps the key.
//
// Errors are *molehunt.Error with code EInvalid; parsers wrap them in a
// *molehunt.RecordError naming the record and field.
package ident

import (
	"net/mail"
	"strings"

	"golang.org/x/text/unicode/norm"

	"molehunt"
)

func invalid(op, format string, args ...any) error {
	return molehunt.Errorf(molehunt.EInvalid, op, format, args...)
}

// plusTagDomains are providers that deliver "user+tag@" to "user@". Only
// providers known to do so are folded: elsewhere "+" may be part of a
// distinct mailbox name.
var plusTagDomains = map[string]bool{
	"gmail.com": true, "googlemail.com": true,
	"outlook.com": true, "hotmail.com": true, "live.com": true, "msn.com": true,
	"icloud.com": true, "me.com": true, "mac.com": true,
	"protonmail.com": true, "protonmail.ch": true, "proton.me": true, "pm.me": true,
	"fastmail.com": true, "fastmail.fm": true,
	"zoho.com": true, "yandex.ru": true, "yandex.com": true,
	"tutanota.com": true, "gmx.com": true, "mail.ru": true, "hey.com": true,
}

// domainAliases maps a provider's alternative domains to one.
var domainAliases = map[string]string{
	"googlemail.com": "gmail.com",
	"protonmail.ch":  "protonmail.com",
	"pm.me":          "proton.me",
	"yandex.com":     "yandex.ru",
	"fastmail.fm":    "fastmail.com",
}

// Email returns the canonical form of an e-mail address: NFC, lower-case,
// with a display name or "mailto:" removed, the provider's alternative
// domains folded (googlemail.com → gmail.com), "+tag" removed for
// providers that deliver tags to the base mailbox, and dots removed from
// Gmail local parts, which Gmail ignores.
func Email(s string) (string, error) {
	const op = "ident.Email"
	s = strings.TrimSpace(norm.NFC.String(s))
	if strings.ContainsAny(s, "<>") {
		a, err := mail.ParseAddress(s)
		if err != nil {
			return "", invalid(op, "not an e-mail address")
		}
		s = a.Address
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "mailto:"), "MAILTO:")
	s = strings.ToLower(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", invalid(op, "not an e-mail address: want local@domain")
	}
	local, domain := s[:at], strings.TrimSuffix(s[at+1:], ".")
	if strings.ContainsAny(local, " \t\r\n\"(),:;<>@[\\]") || strings.ContainsAny(domain, " \t\r\n\"(),:;<>@[\\]_+") {
		return "", invalid(op, "not an e-mail address: bad character")
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.Contains(domain, "..") {
		return "", invalid(op, "not an e-mail address: bad domain")
	}
	if plusTagDomains[domain] {
		if i := strings.IndexByte(local, '+'); i >= 0 {
			local = local[:i]
		}
	}
	if d, ok := domainAliases[domain]; ok {
		domain = d
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	if local == "" {
		return "", invalid(op, "not an e-mail address: empty mailbox")
	}
	return local + "@" + domain, nil
}

// EmailDomain returns the domain of a canonical e-mail address.
func EmailDomain(canonical string) string {
	return canonical[strings.LastIndexByte(canonical, '@')+1:]
}
