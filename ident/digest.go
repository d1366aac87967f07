package ident

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"molehunt"
)

// KeySize is the size of a digest key in bytes.
const KeySize = 32

// KeyFile is where LoadOrCreateKey keeps the key, below the data directory.
const KeyFile = "keys/hmac.key"

// Key is the secret behind the keyed digests of bank accounts and
// government IDs. Its ID, derived from the key, prefixes every digest so
// that digests made under a rotated key are never compared with new ones.
// String and GoString hide the secret, so a Key printed by mistake leaks
// nothing.
type Key struct {
	id     string
	secret []byte
}

// NewKey makes a Key from secret, which must be at least 16 bytes.
func NewKey(secret []byte) (Key, error) {
	if len(secret) < 16 {
		return Key{}, invalid("ident.NewKey", "key of %d bytes; want at least 16", len(secret))
	}
	sum := sha256.Sum256(append([]byte("molehunt key id\x00"), secret...))
	return Key{id: "k" + hex.EncodeToString(sum[:4]), secret: append([]byte(nil), secret...)}, nil
}

// ID returns the key's public id, "k" and 8 hex digits.
func (k Key) ID() string { return k.id }

// String hides the secret.
func (k Key) String() string { return "ident.Key(" + k.id + ")" }

// GoString hides the secret from %#v.
func (k Key) GoString() string { return k.String() }

// LoadOrCreateKey returns the digest key: configured, if non-empty (hex of
// at least 16 bytes, from the operator's secret store), else the one in
// dataDir/keys/hmac.key, created with KeySize random bytes (mode 0600, in a
// 0700 directory) on first run. A key file of the wrong size is an error,
// never silently replaced: every stored digest depends on it.
func LoadOrCreateKey(dataDir, configured string) (Key, error) {
	const op = "ident.LoadOrCreateKey"
	if configured != "" {
		secret, err := hex.DecodeString(strings.TrimSpace(configured))
		if err != nil {
			return Key{}, invalid(op, "configured key is not hex")
		}
		return NewKey(secret)
	}
	path := filepath.Join(dataDir, filepath.FromSlash(KeyFile))
	secret, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeyFile(path)
	}
	if err != nil {
		return Key{}, &molehunt.Error{Code: molehunt.EInternal, Op: op, Message: "cannot read the digest key", Err: err}
	}
	return NewKey(secret)
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	secret, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(secret) != KeySize {
		return nil, fmt.Errorf("%s: want %d hex-encoded bytes", path, KeySize)
	}
	return secret, nil
}

func createKeyFile(path string) (Key, error) {
	const op = "ident.LoadOrCreateKey"
	fail := func(err error) (Key, error) {
		return Key{}, &molehunt.Error{Code: molehunt.EInternal, Op: op, Message: "cannot create the digest key", Err: err}
	}
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fail(err)
	}
	// Write aside and link into place, so two processes starting at once
	// agree on one key and a crash never leaves a half-written key.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hmac.key.*")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fail(err)
	}
	if _, err := tmp.WriteString(hex.EncodeToString(secret) + "\n"); err != nil {
		tmp.Close()
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Another process won the race: use its key.
			secret, err = readKeyFile(path)
			if err != nil {
				return fail(err)
			}
			return NewKey(secret)
		}
		return fail(err)
	}
	return NewKey(secret)
}

// Digester makes the keyed digests stored for bank accounts and government
// IDs: "<key id>:" and the hex HMAC-SHA256 of a normalised, labelled input.
type Digester struct{ key Key }

// NewDigester returns a Digester using key.
func NewDigester(key Key) *Digester { return &Digester{key: key} }

// KeyID returns the id of the key in use.
func (d *Digester) KeyID() string { return d.key.id }

func (d *Digester) digest(label string, parts ...string) string {
	m := hmac.New(sha256.New, d.key.secret)
	m.Write([]byte(label))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return d.key.id + ":" + hex.EncodeToString(m.Sum(nil))
}

// alnumUpper keeps letters and digits, upper-cased: spaces, dashes and dots
// in account and document numbers are formatting, not content.
func alnumUpper(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// BankAccount returns the digest of a domestic account: routing (ABA
// routing number, sort code, BSB, ...) and account number, formatting
// removed. Leading zeros of the account number are kept: banks treat them
// as significant. An IBAN given as account with an empty routing is
// digested as IBAN would.
func (d *Digester) BankAccount(routing, account string) (string, error) {
	const op = "ident.BankAccount"
	r, a := alnumUpper(routing), alnumUpper(account)
	if r == "" && isIBANShape(a) {
		return d.IBAN(a)
	}
	if a == "" {
		return "", invalid(op, "empty account number")
	}
	if len(a) > 34 {
		return "", invalid(op, "account number of %d characters", len(a))
	}
	if len(r) == 9 && isDigits(r) && !abaChecksumOK(r) {
		return "", invalid(op, "routing number fails its check digit")
	}
	return d.digest("bank", r, a), nil
}

// IBAN returns the digest of an International Bank Account Number after
// checking its mod-97 check digits. It equals BankAccount("", iban).
func (d *Digester) IBAN(iban string) (string, error) {
	a := alnumUpper(iban)
	if !isIBANShape(a) || !ibanChecksumOK(a) {
		return "", invalid("ident.IBAN", "not a valid IBAN")
	}
	return d.digest("iban", a), nil
}

// GovernmentID returns the digest of an identity document number, scoped by
// issuing country (ISO alpha-2) and document type ("passport",
// "national_id", "ssn", ...), both lower-cased, so equal numbers of
// different documents never collide.
func (d *Digester) GovernmentID(country, docType, number string) (string, error) {
	n := alnumUpper(number)
	if n == "" {
		return "", invalid("ident.GovernmentID", "empty document number")
	}
	return d.digest("govid", strings.ToUpper(strings.TrimSpace(country)), strings.ToLower(strings.TrimSpace(docType)), n), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isIBANShape(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && isDigits(s[2:4])
}

func ibanChecksumOK(s string) bool {
	r := s[4:] + s[:4]
	mod := 0
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			mod = (mod*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			mod = (mod*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return mod == 1
}

// abaChecksumOK checks an ABA routing number's weighted check digit.
func abaChecksumOK(r string) bool {
	w := [9]int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(r[i]-'0') * w[i]
	}
	return sum%10 == 0
}
