package ident

import (
	"encoding/hex"
	"strings"

	"molehunt"
)

// Canonicalizer turns raw values into canonical identifiers of any kind, for
// parsers that read a value and know only its kind.
type Canonicalizer struct {
	// Digester makes the keyed digests of bank accounts and government
	// IDs; without one those kinds are refused.
	Digester *Digester
	// DefaultRegion is the ISO 3166-1 alpha-2 region of phone numbers
	// written without a country code ("US").
	DefaultRegion string
}

// Identifier returns the canonical identifier of kind k for raw. For
// IDBankAccount raw is "routing:account", "account" or an IBAN; for
// IDGovernmentID it is "country:type:number" or a bare number. A raw value
// that is already a keyed digest of the Digester's key is kept as it is, so
// canonical records can be fed through again.
func (c *Canonicalizer) Identifier(k molehunt.IdentifierKind, raw string) (molehunt.Identifier, error) {
	v, err := c.value(k, raw)
	if err != nil {
		return molehunt.Identifier{}, err
	}
	id := molehunt.Identifier{Kind: k, Value: v}
	if err := id.Validate(); err != nil {
		return molehunt.Identifier{}, &molehunt.Error{Code: molehunt.EInvalid, Op: "ident.Identifier", Err: err}
	}
	return id, nil
}

func (c *Canonicalizer) value(k molehunt.IdentifierKind, raw string) (string, error) {
	switch k {
	case molehunt.IDEmail:
		return Email(raw)
	case molehunt.IDPhone:
		return Phone(raw, c.DefaultRegion)
	case molehunt.IDBankAccount, molehunt.IDGovernmentID:
		if c.Digester == nil {
			return "", invalid("ident.Identifier", "%s needs a digest key", k)
		}
		raw = strings.TrimSpace(raw)
		if c.isDigest(raw) {
			return raw, nil
		}
		if k == molehunt.IDBankAccount {
			routing, account, ok := strings.Cut(raw, ":")
			if !ok {
				return c.Digester.BankAccount("", raw)
			}
			return c.Digester.BankAccount(routing, account)
		}
		parts := strings.SplitN(raw, ":", 3)
		if len(parts) == 3 {
			return c.Digester.GovernmentID(parts[0], parts[1], parts[2])
		}
		return c.Digester.GovernmentID("", "", raw)
	case molehunt.IDWallet:
		return Wallet(raw)
	case molehunt.IDPostalAddress:
		a, err := AddressLine(raw)
		return a.Full, err
	case molehunt.IDDeviceSerial:
		return DeviceSerial(raw)
	case molehunt.IDHardwareUUID:
		return HardwareUUID(raw)
	case molehunt.IDMAC:
		return MAC(raw)
	case molehunt.IDIP:
		return IP(raw)
	case molehunt.IDProfileURL:
		return ProfileURL(raw)
	case molehunt.IDPhotoHash:
		return PhotoHash(raw)
	case molehunt.IDResumeFingerprint, molehunt.IDMFADevice:
		v := strings.TrimSpace(raw)
		if v == "" {
			return "", invalid("ident.Identifier", "empty %s", k)
		}
		return v, nil
	case molehunt.IDLogin:
		return Login(raw)
	}
	return "", invalid("ident.Identifier", "unknown identifier kind %q", k)
}

func (c *Canonicalizer) isDigest(v string) bool {
	keyID, digest, ok := strings.Cut(v, ":")
	return ok && keyID == c.Digester.KeyID() && len(digest) == 64 && isCharset(digest, "0123456789abcdef")
}

// PhotoHash returns a perceptual hash as lower-case hex, "0x" removed.
func PhotoHash(s string) (string, error) {
	h := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "0x"), "0X"))
	if _, err := hex.DecodeString(h); err != nil || h == "" {
		return "", invalid("ident.PhotoHash", "not a hex hash")
	}
	return h, nil
}

// Login returns an identity-provider login lower-cased and trimmed: Okta,
// Entra and Google treat logins case-insensitively. A login that is an
// e-mail address is not alias-folded: it names an account, not a mailbox.
func Login(s string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v == "" {
		return "", invalid("ident.Login", "empty login")
	}
	return v, nil
}
