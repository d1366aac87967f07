package molehunt_test

import (
	"errors"
	"testing"

	"molehunt"
)

func validSubject() molehunt.Subject {
	return molehunt.Subject{
		ID:          "sub-1",
		Role:        molehunt.RoleCandidate,
		Status:      molehunt.StatusApplicant,
		Names:       []molehunt.Name{{Full: "Jane Doe", Kind: molehunt.NamePrimary}, {Full: "JD", Kind: molehunt.NameAlias}},
		BirthDate:   "1990-04",
		Country:     "US",
		TimeZone:    "America/New_York",
		Identifiers: []molehunt.Identifier{{Kind: molehunt.IDEmail, Value: "jane@example.com"}},
		HireDate:    "2025-02-03",
		Sources:     []molehunt.SourceRef{{Source: molehunt.SourceGreenhouse, ID: "12345"}},
	}
}

func TestSubjectValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*molehunt.Subject)
		field  string
	}{
		{"valid", func(*molehunt.Subject) {}, ""},
		{"minimal", func(s *molehunt.Subject) {
			*s = molehunt.Subject{ID: "x", Role: molehunt.RolePayee, Names: []molehunt.Name{{Full: "X"}}}
		}, ""},
		{"no id", func(s *molehunt.Subject) { s.ID = "" }, "id"},
		{"id with newline", func(s *molehunt.Subject) { s.ID = "a\nb" }, "id"},
		{"no role", func(s *molehunt.Subject) { s.Role = "" }, "role"},
		{"bad status", func(s *molehunt.Subject) { s.Status = "asleep" }, "status"},
		{"no names", func(s *molehunt.Subject) { s.Names = nil }, "names"},
		{"blank name", func(s *molehunt.Subject) { s.Names[1].Full = "  " }, "names[1].full"},
		{"birth date", func(s *molehunt.Subject) { s.BirthDate = "04/17/1990" }, "birth_date"},
		{"hire date prefix", func(s *molehunt.Subject) { s.HireDate = "2025" }, "hire_date"},
		{"country name", func(s *molehunt.Subject) { s.Country = "United States" }, "country"},
		{"zone", func(s *molehunt.Subject) { s.TimeZone = "EST5EDT-ish" }, "time_zone"},
		{"local zone", func(s *molehunt.Subject) { s.TimeZone = "Local" }, "time_zone"},
		{"bad identifier", func(s *molehunt.Subject) { s.Identifiers[0].Value = "" }, "identifiers[0]"},
		{"duplicate identifier", func(s *molehunt.Subject) { s.Identifiers = append(s.Identifiers, s.Identifiers[0]) }, "identifiers[1]"},
		{"bad source", func(s *molehunt.Subject) { s.Sources[0].Source = "Green House" }, "sources[0].source"},
		{"empty source id", func(s *molehunt.Subject) { s.Sources[0].ID = "" }, "sources[0].id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := validSubject()
			tc.mutate(&s)
			err := s.Validate()
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

func TestSubjectHelpers(t *testing.T) {
	s := validSubject()
	if got := s.PrimaryName(); got != "Jane Doe" {
		t.Errorf("PrimaryName = %q; want Jane Doe", got)
	}
	if !s.HasIdentifier(molehunt.Identifier{Kind: molehunt.IDEmail, Value: "jane@example.com"}) {
		t.Error("HasIdentifier(email) = false")
	}
	if s.HasIdentifier(molehunt.Identifier{Kind: molehunt.IDLogin, Value: "jane@example.com"}) {
		t.Error("HasIdentifier matched another kind")
	}
}
