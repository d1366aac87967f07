package ident_test

import (
	"bytes"
	"testing"

	"molehunt"
	"molehunt/ident"
)

// FuzzIdentifier feeds arbitrary text to every kind: no panic, errors are
// EInvalid, results validate, and a canonical value canonicalises to itself.
func FuzzIdentifier(f *testing.F) {
	for _, s := range []string{
		"J.Doe+x@Gmail.com", "Jane <jane@example.com>", "+1 650 253 0000", "011000015:000123", "GB82 WEST 1234 5698 7654 32",
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "123 North Main Street Apt 4B",
		"#4B 123 N. Main St.", "c02x 1234", "{4C4C4544-0042-3510-8052-B4C04F4D4E32}", "00-1A-2B-3C-4D-5E", "::ffff:1.2.3.4",
		"uk.linkedin.com/in/Jane?trk=x", "github.com/octocat/repo", "0xABCD", "", "\x00", "@", "a@b.c",
	} {
		f.Add(s)
	}
	key, err := ident.NewKey(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		f.Fatal(err)
	}
	c := &ident.Canonicalizer{Digester: ident.NewDigester(key), DefaultRegion: "US"}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, k := range molehunt.IdentifierKinds {
			id, err := c.Identifier(k, raw)
			if err != nil {
				if code := molehunt.ErrorCodeOf(err); code != molehunt.EInvalid {
					t.Fatalf("%s(%q): error %v with code %q; want invalid", k, raw, err, code)
				}
				continue
			}
			if err := id.Validate(); err != nil {
				t.Fatalf("%s(%q) = %q, which does not validate: %v", k, raw, id.Value, err)
			}
			again, err := c.Identifier(k, id.Value)
			if err != nil || again != id {
				t.Fatalf("%s: %q → %q → %q (%v); canonical values must be fixed points", k, raw, id.Value, again.Value, err)
			}
		}
	})
}
