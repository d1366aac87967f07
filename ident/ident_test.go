package ident_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"molehunt"
	"molehunt/ident"
)

// check runs one table of canonicalisation cases; want "" means an error
// with code EInvalid.
func check(t *testing.T, fn func(string) (string, error), cases []struct{ in, want string }) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := fn(c.in)
			if c.want == "" {
				if code := molehunt.ErrorCodeOf(err); code != molehunt.EInvalid {
					t.Fatalf("got %q, code %q; want an EInvalid error", got, code)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v; want %q", err, c.want)
			}
			if got != c.want {
				t.Errorf("got %q; want %q", got, c.want)
			}
			// Canonical forms are fixed points.
			again, err := fn(got)
			if err != nil || again != got {
				t.Errorf("canonical form not stable: %q → %q, %v", got, again, err)
			}
		})
	}
}

func TestEmail(t *testing.T) {
	check(t, ident.Email, []struct{ in, want string }{
		{"Alice@Example.COM", "alice@example.com"},
		{"  bob@example.com ", "bob@example.com"},
		{"J.Smith+jobs@gmail.com", "jsmith@gmail.com"},
		{"j.s.m.i.t.h@googlemail.com", "jsmith@gmail.com"},
		{"someone+x@outlook.com", "someone@outlook.com"},
		{"first.last+tag@proton.me", "first.last@proton.me"},
		{"user@pm.me", "user@proton.me"},
		{"first.last+tag@corp.example", "first.last+tag@corp.example"}, // unknown provider: tags kept
		{"Jane Doe <Jane.Doe@Example.com>", "jane.doe@example.com"},
		{"mailto:x@example.org", "x@example.org"},
		{"x@example.org.", "x@example.org"},
		{"+tag@gmail.com", ""},
		{"not-an-email", ""},
		{"a@b", ""},
		{"a b@example.com", ""},
		{"@example.com", ""},
		{"a@", ""},
		{"a@example..com", ""},
	})
}

func TestPhone(t *testing.T) {
	us := func(s string) (string, error) { return ident.Phone(s, "US") }
	check(t, us, []struct{ in, want string }{
		{"(650) 253-0000", "+16502530000"},
		{"650.253.0000", "+16502530000"},
		{"+1 650 253 0000 ext. 12", "+16502530000"},
		{"+44 20 7031 3000", "+442070313000"},
		{"+82 2-312-3456", "+8223123456"},
		{"+82 70-1234-5678", "+827012345678"},
		{"12", ""},
		{"hello", ""},
		{"", ""},
	})
	none := func(s string) (string, error) { return ident.Phone(s, "") }
	check(t, none, []struct{ in, want string }{
		{"+44 20 7031 3000", "+442070313000"},
		{"0044 20 7031 3000", "+442070313000"},
		{"650 253 0000", ""}, // no country code and no default region
	})
	gb := func(s string) (string, error) { return ident.Phone(s, "gb") }
	check(t, gb, []struct{ in, want string }{
		{"020 7031 3000", "+442070313000"},
	})
}

func testKey(t *testing.T) ident.Key {
	t.Helper()
	k, err := ident.NewKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestDigests(t *testing.T) {
	d := ident.NewDigester(testKey(t))
	other, _ := ident.NewKey(bytes.Repeat([]byte{8}, 32))
	d2 := ident.NewDigester(other)
	must := func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := must(d.BankAccount("011000015", "000123456789"))
	if !strings.HasPrefix(a, d.KeyID()+":") || len(a) != len(d.KeyID())+1+64 {
		t.Errorf("digest %q: want %q and 64 hex digits", a, d.KeyID()+":")
	}
	if err := (molehunt.Identifier{Kind: molehunt.IDBankAccount, Value: a}).Validate(); err != nil {
		t.Errorf("digest does not validate as an identifier: %v", err)
	}
	for _, c := range []struct {
		name       string
		x, y       string
		wantEquals bool
	}{
		{"formatting ignored", a, must(d.BankAccount(" 0110-00015", "0001 2345 6789")), true},
		{"leading zeros kept", a, must(d.BankAccount("011000015", "123456789")), false},
		{"routing matters", a, must(d.BankAccount("021000021", "000123456789")), false},
		{"key matters", a, must(d2.BankAccount("011000015", "000123456789")), false},
		{"IBAN spacing and case", must(d.IBAN("GB82 WEST 1234 5698 7654 32")), must(d.IBAN("gb82west12345698765432")), true},
		{"IBAN as account", must(d.IBAN("GB82WEST12345698765432")), must(d.BankAccount("", "GB82 WEST 1234 5698 7654 32")), true},
		{"passport formatting", must(d.GovernmentID("us", "Passport", "A1234-5678")), must(d.GovernmentID("US", "passport", "a12345678")), true},
		{"document type matters", must(d.GovernmentID("US", "passport", "123456789")), must(d.GovernmentID("US", "ssn", "123456789")), false},
	} {
		if got := c.x == c.y; got != c.wantEquals {
			t.Errorf("%s: equal = %v; want %v (%s vs %s)", c.name, got, c.wantEquals, c.x, c.y)
		}
	}
	for _, c := range []struct {
		name string
		fn   func() (string, error)
	}{
		{"bad IBAN check digits", func() (string, error) { return d.IBAN("GB83WEST12345698765432") }},
		{"bad ABA check digit", func() (string, error) { return d.BankAccount("011000016", "123") }},
		{"empty account", func() (string, error) { return d.BankAccount("011000015", " ") }},
		{"empty document", func() (string, error) { return d.GovernmentID("US", "passport", "--") }},
	} {
		if _, err := c.fn(); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
			t.Errorf("%s: error %v; want EInvalid", c.name, err)
		}
	}
}

func TestKeyHidesSecret(t *testing.T) {
	k := testKey(t)
	secret := hex.EncodeToString(bytes.Repeat([]byte{7}, 32))
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s", k, k, k, k)} {
		if strings.Contains(s, secret) || strings.Contains(s, "[7 7 7") {
			t.Errorf("printing a Key shows its secret: %s", s)
		}
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := ident.LoadOrCreateKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "keys", "hmac.key")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %o; want 600", perm)
	}
	k2, err := ident.LoadOrCreateKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if k1.ID() != k2.ID() {
		t.Errorf("second load gave key %s; want the stored %s", k2.ID(), k1.ID())
	}
	configured := strings.Repeat("ab", 32)
	k3, err := ident.LoadOrCreateKey(t.TempDir(), configured)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ident.NewKey(bytes.Repeat([]byte{0xab}, 32))
	if k3.ID() != want.ID() {
		t.Errorf("configured key id %s; want %s", k3.ID(), want.ID())
	}
	if _, err := ident.LoadOrCreateKey(dir, "zz"); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("non-hex configured key: %v; want EInvalid", err)
	}
	if err := os.WriteFile(path, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ident.LoadOrCreateKey(dir, ""); err == nil {
		t.Error("a damaged key file was accepted; want an error, never a silent new key")
	}
}

func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	dir := t.TempDir()
	ids := make([]string, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			k, err := ident.LoadOrCreateKey(dir, "")
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = k.ID()
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent first runs made different keys: %v", ids)
		}
	}
}

func TestWallet(t *testing.T) {
	check(t, ident.Wallet, []struct{ in, want string }{
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"},
		{"ethereum:0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"},
		{"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
		{"bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=1", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
		{"1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"},
		{" TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf ", "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf"},
		{"bitcoincash:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"},
		{"0x123", ""},
		{"bc1QW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", ""}, // mixed-case bech32
		{"0OIl", ""},
		{"", ""},
	})
}

func TestAddress(t *testing.T) {
	cases := []struct {
		name      string
		in        molehunt.Address
		full, res string
	}{
		{"abbreviations and unit",
			molehunt.Address{Street: "123 North Main Street, Apartment 4B", City: "Springfield", Region: "Illinois", PostalCode: "62704-1234", Country: "USA"},
			"123 N MAIN ST APT 4B, SPRINGFIELD, IL, 62704, US", "123 N MAIN ST, SPRINGFIELD, IL, 62704, US"},
		{"hash unit before street",
			molehunt.Address{Street: "#4B 123 N. Main St.", City: "SPRINGFIELD", Region: "IL", PostalCode: "62704", Country: "US"},
			"123 N MAIN ST APT 4B, SPRINGFIELD, IL, 62704, US", "123 N MAIN ST, SPRINGFIELD, IL, 62704, US"},
		{"hash attached",
			molehunt.Address{Street: "123 n main st #4b", City: "springfield", Region: "il", PostalCode: "62704", Country: "united states"},
			"123 N MAIN ST APT 4B, SPRINGFIELD, IL, 62704, US", "123 N MAIN ST, SPRINGFIELD, IL, 62704, US"},
		{"suite and avenue",
			molehunt.Address{Street: "500 Fifth Avenue, Suite 1200", City: "New York", Region: "NY", PostalCode: "10110"},
			"500 5TH AVE STE 1200, NEW YORK, NY, 10110", "500 5TH AVE, NEW YORK, NY, 10110"},
		{"accents and floor",
			molehunt.Address{Street: "12 Rue de l'Église, 3e étage, floor 3", City: "Besançon", Country: "France"},
			"12 RUE DE LEGLISE 3E ETAGE FL 3, BESANCON, FR", "12 RUE DE LEGLISE 3E ETAGE, BESANCON, FR"},
		{"po box",
			molehunt.Address{Street: "P.O. Box 42", City: "Austin", Region: "TX"},
			"PO BOX 42, AUSTIN, TX", "PO BOX 42, AUSTIN, TX"},
		{"boulevard southwest unit",
			molehunt.Address{Street: "77 Sunset Boulevard Southwest Unit 3", City: "Atlanta", Region: "Georgia", PostalCode: "30301"},
			"77 SUNSET BLVD SW UNIT 3, ATLANTA, GA, 30301", "77 SUNSET BLVD SW, ATLANTA, GA, 30301"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ident.Address(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Full != c.full {
				t.Errorf("Full = %q; want %q", got.Full, c.full)
			}
			if got.Residence != c.res {
				t.Errorf("Residence = %q; want %q", got.Residence, c.res)
			}
		})
	}
	if _, err := ident.Address(molehunt.Address{City: "Nowhere"}); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("address without street: %v; want EInvalid", err)
	}
	// Apartments of one building differ in Full and agree in Residence.
	a, _ := ident.AddressLine("10 Elm St Apt 1")
	b, _ := ident.AddressLine("10 Elm Street, #2")
	if a.Full == b.Full || a.Residence != b.Residence {
		t.Errorf("apartments: %+v, %+v; want different Full and equal Residence", a, b)
	}
}

func TestDevice(t *testing.T) {
	t.Run("serial", func(t *testing.T) {
		check(t, ident.DeviceSerial, []struct{ in, want string }{
			{"c02x 1234 jg5h", "C02X1234JG5H"},
			{"PF-2ABC12", "PF-2ABC12"},
			{"To Be Filled By O.E.M.", ""},
			{"0000000", ""},
			{"  ", ""},
		})
	})
	t.Run("uuid", func(t *testing.T) {
		check(t, ident.HardwareUUID, []struct{ in, want string }{
			{"4c4c4544-0042-3510-8052-b4c04f4d4e32", "4C4C4544-0042-3510-8052-B4C04F4D4E32"},
			{"{4C4C4544 0042 3510 8052 B4C04F4D4E32}", "4C4C4544-0042-3510-8052-B4C04F4D4E32"},
			{"4C4C454400423510 8052B4C04F4D4E32", "4C4C4544-0042-3510-8052-B4C04F4D4E32"},
			{"00000000-0000-0000-0000-000000000000", ""},
			{"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", ""},
			{"not-a-uuid", ""},
		})
	})
	t.Run("mac", func(t *testing.T) {
		check(t, ident.MAC, []struct{ in, want string }{
			{"00-1A-2B-3C-4D-5E", "00:1a:2b:3c:4d:5e"},
			{"001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"},
			{"001A2B3C4D5E", "00:1a:2b:3c:4d:5e"},
			{"ff:ff:ff:ff:ff:ff", ""},
			{"00:1a:2b", ""},
		})
	})
	t.Run("ip", func(t *testing.T) {
		check(t, ident.IP, []struct{ in, want string }{
			{"175.45.176.1", "175.45.176.1"},
			{"::ffff:175.45.176.1", "175.45.176.1"},
			{"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
			{"fe80::1%eth0", "fe80::1"},
			{"203.0.113.9:443", "203.0.113.9"},
			{"[2001:db8::1]:443", "2001:db8::1"},
			{"999.1.1.1", ""},
			{"localhost", ""},
		})
	})
}

func TestProfileURL(t *testing.T) {
	check(t, ident.ProfileURL, []struct{ in, want string }{
		{"https://www.linkedin.com/in/Jane-Doe-123/", "https://linkedin.com/in/jane-doe-123"},
		{"uk.linkedin.com/in/jane-doe-123?originalSubdomain=uk", "https://linkedin.com/in/jane-doe-123"},
		{"http://linkedin.com/in/jane-doe-123/details/experience/", "https://linkedin.com/in/jane-doe-123"},
		{"https://github.com/OctoCat", "https://github.com/octocat"},
		{"github.com/octocat/Hello-World?tab=readme", "https://github.com/octocat"},
		{"https://GitHub.com/octocat/", "https://github.com/octocat"},
		{"https://Example.com/People/Jane/?utm_source=x&utm_medium=y&id=7#bio", "https://example.com/People/Jane?id=7"},
		{"https://m.facebook.com/jane.doe?fbclid=abc", "https://facebook.com/jane.doe"},
		{"ftp://example.com/x", ""},
		{"", ""},
		{"https://", ""},
	})
}

func TestCanonicalizer(t *testing.T) {
	c := &ident.Canonicalizer{Digester: ident.NewDigester(testKey(t)), DefaultRegion: "US"}
	for _, k := range molehunt.IdentifierKinds {
		raw := map[molehunt.IdentifierKind]string{
			molehunt.IDEmail: "J.Doe+x@Gmail.com", molehunt.IDPhone: "650-253-0000",
			molehunt.IDBankAccount: "011000015:000123", molehunt.IDGovernmentID: "US:passport:X123",
			molehunt.IDWallet: "0xABCDEF0123456789ABCDEF0123456789ABCDEF01", molehunt.IDPostalAddress: "1 Main Street",
			molehunt.IDDeviceSerial: "c02 x", molehunt.IDHardwareUUID: "4c4c4544004235108052b4c04f4d4e32",
			molehunt.IDMAC: "001A2B3C4D5E", molehunt.IDIP: "::ffff:1.2.3.4",
			molehunt.IDProfileURL: "github.com/X", molehunt.IDPhotoHash: "0xABCD", molehunt.IDResumeFingerprint: " mh1:abc ",
			molehunt.IDLogin: " JDoe@Corp.example ", molehunt.IDMFADevice: "opf1abc",
		}[k]
		t.Run(string(k), func(t *testing.T) {
			id, err := c.Identifier(k, raw)
			if err != nil {
				t.Fatalf("Identifier(%s, %q): %v", k, raw, err)
			}
			if id.Kind != k {
				t.Errorf("kind %s; want %s", id.Kind, k)
			}
			again, err := c.Identifier(k, id.Value)
			if err != nil || again != id {
				t.Errorf("canonical value not stable: %v → %v, %v", id, again, err)
			}
		})
	}
	if _, err := (&ident.Canonicalizer{}).Identifier(molehunt.IDBankAccount, "123"); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("bank account without key: %v; want EInvalid", err)
	}
	if _, err := c.Identifier("shoe_size", "9"); molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		t.Errorf("unknown kind: %v; want EInvalid", err)
	}
}
