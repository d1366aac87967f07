package molehunt_test

import (
	"errors"
	"strings"
	"testing"

	"molehunt"
)

func TestIdentifierValidate(t *testing.T) {
	digest := "k1a2b3c4d:" + strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name  string
		id    molehunt.Identifier
		field string // "" means valid
	}{
		{"email", molehunt.Identifier{Kind: molehunt.IDEmail, Value: "a@example.com"}, ""},
		{"bank digest", molehunt.Identifier{Kind: molehunt.IDBankAccount, Value: digest}, ""},
		{"unknown kind", molehunt.Identifier{Kind: "shoe_size", Value: "9"}, "kind"},
		{"empty", molehunt.Identifier{Kind: molehunt.IDPhone}, "value"},
		{"padded", molehunt.Identifier{Kind: molehunt.IDPhone, Value: " +1"}, "value"},
		{"control", molehunt.Identifier{Kind: molehunt.IDLogin, Value: "a\x00b"}, "value"},
		{"too long", molehunt.Identifier{Kind: molehunt.IDLogin, Value: strings.Repeat("a", molehunt.MaxIdentifierLen+1)}, "value"},
		{"bad utf-8", molehunt.Identifier{Kind: molehunt.IDLogin, Value: "a\xffb"}, "value"},
		{"clear bank account", molehunt.Identifier{Kind: molehunt.IDBankAccount, Value: "021000021:123456"}, "value"},
		{"clear government id", molehunt.Identifier{Kind: molehunt.IDGovernmentID, Value: "A1234567"}, "value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.id.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v; want nil", err)
				}
				return
			}
			var re *molehunt.RecordError
			if !errors.As(err, &re) || re.Field != tc.field {
				t.Fatalf("Validate: %v; want a *RecordError for field %q", err, tc.field)
			}
		})
	}
}

func TestParseIdentifier(t *testing.T) {
	id, err := molehunt.ParseIdentifier("email:a:b@example.com")
	if err != nil || id != (molehunt.Identifier{Kind: molehunt.IDEmail, Value: "a:b@example.com"}) {
		t.Errorf("ParseIdentifier = %v, %v", id, err)
	}
	if got := id.String(); got != "email:a:b@example.com" {
		t.Errorf("String = %q", got)
	}
	for _, s := range []string{"nokind", "aura:x", "email:"} {
		var re *molehunt.RecordError
		if _, err := molehunt.ParseIdentifier(s); !errors.As(err, &re) {
			t.Errorf("ParseIdentifier(%q): %v; want a *RecordError", s, err)
		}
	}
}

func TestKindsValid(t *testing.T) {
	for _, k := range molehunt.IdentifierKinds {
		if !k.Valid() {
			t.Errorf("%s not valid", k)
		}
	}
	for _, k := range molehunt.EventKinds {
		if !k.Valid() {
			t.Errorf("%s not valid", k)
		}
	}
	for _, r := range molehunt.SubjectRoles {
		if !r.Valid() {
			t.Errorf("%s not valid", r)
		}
	}
	if len(molehunt.IdentifierKinds) != 15 || len(molehunt.EventKinds) != 8 || len(molehunt.SubjectRoles) != 5 {
		t.Errorf("kinds: %d identifier, %d event, %d roles; want 15, 8, 5",
			len(molehunt.IdentifierKinds), len(molehunt.EventKinds), len(molehunt.SubjectRoles))
	}
}
