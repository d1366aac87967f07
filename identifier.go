package molehunt

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IdentifierKind says what an identifier's value is. The value is stable: it
// is stored, appears in evidence and joins subjects in the identity graph.
type IdentifierKind string

// The identifier kinds. The canonical form of each value is produced by
// package ident; the domain only checks that a value is plausible (see
// Identifier.Validate), so that a store never holds a malformed key.
const (
	// IDEmail is an e-mail address, lower-cased with provider aliasing
	// folded (gmail dots, +tags).
	IDEmail IdentifierKind = "email"
	// IDPhone is a phone number in E.164 form: "+14155550100".
	IDPhone IdentifierKind = "phone"
	// IDBankAccount is a keyed HMAC digest of routing+account or IBAN,
	// "<key id>:<hex>"; the number itself is never stored.
	IDBankAccount IdentifierKind = "bank_account"
	// IDGovernmentID is a keyed HMAC digest of a passport, national id or
	// tax number, "<key id>:<hex>".
	IDGovernmentID IdentifierKind = "government_id"
	// IDWallet is a crypto-currency address, cased by its chain's rules.
	IDWallet IdentifierKind = "wallet"
	// IDPostalAddress is a normalised postal address (see ident.Address).
	IDPostalAddress IdentifierKind = "postal_address"
	// IDDeviceSerial is a hardware serial number, upper-case, no spaces.
	IDDeviceSerial IdentifierKind = "device_serial"
	// IDHardwareUUID is a machine's hardware (SMBIOS) UUID, upper-case.
	IDHardwareUUID IdentifierKind = "hardware_uuid"
	// IDMAC is a MAC address, lower-case and colon-separated.
	IDMAC IdentifierKind = "mac_address"
	// IDIP is an IP address in net/netip canonical form.
	IDIP IdentifierKind = "ip_address"
	// IDProfileURL is a public profile link (LinkedIn, GitHub, ...) without
	// tracking parameters or a trailing slash.
	IDProfileURL IdentifierKind = "profile_url"
	// IDPhotoHash is a perceptual hash of a profile or ID photo, lower hex.
	IDPhotoHash IdentifierKind = "photo_hash"
	// IDResumeFingerprint is a similarity fingerprint (MinHash signature)
	// of a resume's text.
	IDResumeFingerprint IdentifierKind = "resume_fingerprint"
	// IDLogin is an account name at an identity provider (Okta login,
	// Entra user principal name), lower-cased.
	IDLogin IdentifierKind = "login"
	// IDMFADevice is the source's id of an enrolled MFA authenticator.
	IDMFADevice IdentifierKind = "mfa_device"
)

// IdentifierKinds lists every identifier kind, in a stable order.
var IdentifierKinds = []IdentifierKind{
	IDEmail, IDPhone, IDBankAccount, IDGovernmentID, IDWallet, IDPostalAddress,
	IDDeviceSerial, IDHardwareUUID, IDMAC, IDIP, IDProfileURL, IDPhotoHash,
	IDResumeFingerprint, IDLogin, IDMFADevice,
}

// Valid reports whether k is one of the identifier kinds.
func (k IdentifierKind) Valid() bool {
	for _, v := range IdentifierKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Keyed reports whether values of kind k are keyed digests rather than the
// identifier itself (promise 6: bank accounts and government IDs are
// stored as digests only).
func (k IdentifierKind) Keyed() bool { return k == IDBankAccount || k == IDGovernmentID }

// MaxIdentifierLen bounds an identifier's value in bytes, so a hostile
// record cannot make an index key of unbounded size.
const MaxIdentifierLen = 1024

// Identifier is one canonical identifying value of a subject: the key of all
// linking. Two subjects holding an equal Identifier share that identifier.
type Identifier struct {
	Kind  IdentifierKind `json:"kind"`
	Value string         `json:"value"`
}

// String returns "kind:value", the form ParseIdentifier reads.
func (id Identifier) String() string { return string(id.Kind) + ":" + id.Value }

// ParseIdentifier reads "kind:value". It checks the form (see Validate) but
// does not canonicalise the value; package ident does that.
func ParseIdentifier(s string) (Identifier, error) {
	kind, value, ok := strings.Cut(s, ":")
	if !ok {
		return Identifier{}, &RecordError{Record: s, Field: "identifier", Err: errors.New(`want "kind:value"`)}
	}
	id := Identifier{Kind: IdentifierKind(kind), Value: value}
	if err := id.Validate(); err != nil {
		return Identifier{}, err
	}
	return id, nil
}

// Validate reports whether id has a known kind and a value that could be
// canonical: non-empty, valid UTF-8, at most MaxIdentifierLen bytes, free of
// control characters and of surrounding white space. Keyed kinds must look
// like "<key id>:<hex digest>".
func (id Identifier) Validate() error {
	fail := func(field, format string, args ...any) error {
		return &RecordError{Record: id.String(), Field: field, Err: fmt.Errorf(format, args...)}
	}
	if !id.Kind.Valid() {
		return fail("kind", "unknown identifier kind %q", id.Kind)
	}
	v := id.Value
	switch {
	case v == "":
		return fail("value", "empty")
	case len(v) > MaxIdentifierLen:
		return fail("value", "%d bytes, more than %d", len(v), MaxIdentifierLen)
	case !utf8.ValidString(v):
		return fail("value", "not valid UTF-8")
	case strings.TrimSpace(v) != v:
		return fail("value", "surrounding white space")
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fail("value", "control character")
	}
	if id.Kind.Keyed() {
		keyID, digest, ok := strings.Cut(v, ":")
		if !ok || keyID == "" || len(digest) != 64 || !isLowerHex(digest) {
			return fail("value", "want a keyed digest \"<key id>:<64 hex>\", never the number itself")
		}
	}
	return nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
