package gen

import (
	"testing"

	"molehunt/ident"
)

// TestPhonesValid checks that every country's phone generator writes
// numbers its numbering plan holds (ident.Phone refuses the rest).
func TestPhonesValid(t *testing.T) {
	for _, cc := range countries {
		r := newRNG(1, uint64(len(cc.code)))
		bad := 0
		for i := 0; i < 300; i++ {
			c := &cc.cities[r.intn(len(cc.cities))]
			ph := validPhone(&r, cc, c)
			if _, err := ident.Phone(ph, "US"); err != nil {
				if bad < 3 {
					t.Errorf("%s %s: %q: %v", cc.code, c.name, ph, err)
				}
				bad++
			}
		}
	}
}

// TestRoutingNumbers checks the ABA check digit of every routing number.
func TestRoutingNumbers(t *testing.T) {
	for _, b := range append(usBanks, evolve, usBank{eorAccount.bank, eorAccount.routing}) {
		if !routingOK(b.routing) {
			t.Errorf("%s %s: bad check digit", b.name, b.routing)
		}
	}
}

func TestIBANs(t *testing.T) {
	d := ident.NewDigester(mustKey(t))
	r := newRNG(3)
	for _, cc := range []string{"GB", "DE", "FR", "ES", "NL", "PL"} {
		for i := 0; i < 50; i++ {
			iban := newIBAN(&r, cc)
			if _, err := d.IBAN(iban); err != nil {
				t.Fatalf("%s: %v", iban, err)
			}
		}
	}
}

func mustKey(t *testing.T) ident.Key {
	k, err := ident.NewKey([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
