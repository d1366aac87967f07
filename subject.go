package molehunt

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// SubjectRole says how the organisation deals with a subject.
type SubjectRole string

// The subject roles.
const (
	RoleCandidate     SubjectRole = "candidate"      // applied, not hired
	RoleEmployee      SubjectRole = "employee"       // on the payroll
	RoleContractor    SubjectRole = "contractor"     // works for the organisation, paid as a supplier
	RoleVendorContact SubjectRole = "vendor_contact" // a person at a supplier
	RolePayee         SubjectRole = "payee"          // receives payments, no other relation known
)

// SubjectRoles lists every role, in a stable order.
var SubjectRoles = []SubjectRole{RoleCandidate, RoleEmployee, RoleContractor, RoleVendorContact, RolePayee}

// Valid reports whether r is one of the roles.
func (r SubjectRole) Valid() bool {
	for _, v := range SubjectRoles {
		if r == v {
			return true
		}
	}
	return false
}

// SubjectStatus is where a subject stands in the organisation's lifecycle.
type SubjectStatus string

// The subject statuses. The empty status means the source did not say.
const (
	StatusUnknown    SubjectStatus = ""
	StatusApplicant  SubjectStatus = "applicant"  // in a hiring process
	StatusOffered    SubjectStatus = "offered"    // offer made, not started
	StatusActive     SubjectStatus = "active"     // working or being paid now
	StatusSuspended  SubjectStatus = "suspended"  // access or pay on hold
	StatusTerminated SubjectStatus = "terminated" // relation ended by the organisation or the subject
	StatusRejected   SubjectStatus = "rejected"   // application declined
	StatusWithdrawn  SubjectStatus = "withdrawn"  // application withdrawn
)

// SubjectStatuses lists every non-empty status, in a stable order.
var SubjectStatuses = []SubjectStatus{
	StatusApplicant, StatusOffered, StatusActive, StatusSuspended,
	StatusTerminated, StatusRejected, StatusWithdrawn,
}

// Valid reports whether s is one of the statuses or unknown.
func (s SubjectStatus) Valid() bool {
	if s == StatusUnknown {
		return true
	}
	for _, v := range SubjectStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// SourceRef names a record in a source system: which system and the
// system's own id of the record (a Greenhouse candidate id, an Okta user id,
// a payroll employee number). One subject may be known to several sources.
type SourceRef struct {
	Source Source `json:"source"`
	ID     string `json:"id"`
}

// Subject is a person the organisation deals with, described by what they
// claim and by the identifiers found in the organisation's records. It
// holds claims, never conclusions: risk lives in signals and scores.
//
// There is deliberately no nationality, ethnicity, religion or language
// field: those are never inputs to detection (DESIGN.md).
type Subject struct {
	// ID is molehunt's id of the subject, unique in a store.
	ID     string        `json:"id"`
	Role   SubjectRole   `json:"role"`
	Status SubjectStatus `json:"status,omitempty"`
	// Names holds the primary name first, then aliases (Kind NameAlias).
	Names []Name `json:"names"`
	// BirthDate is an ISO 8601 date or prefix: "1990", "1990-04", "1990-04-17".
	BirthDate string `json:"birth_date,omitempty"`
	// Country, City and TimeZone are where the subject claims to live and
	// work: an ISO 3166-1 alpha-2 code, a city name and an IANA zone name.
	Country   string    `json:"country,omitempty"`
	City      string    `json:"city,omitempty"`
	TimeZone  string    `json:"time_zone,omitempty"`
	Addresses []Address `json:"addresses,omitempty"`
	// Identifiers are canonical (see package ident) and unique per subject;
	// they are what FindSubjects looks up and what the linker joins on.
	Identifiers []Identifier `json:"identifiers,omitempty"`
	// HireDate is the start date, "2024-03-01", for employees and contractors.
	HireDate string `json:"hire_date,omitempty"`
	// Sources says which source records describe this subject.
	Sources []SourceRef `json:"sources,omitempty"`
	// CreatedAt and UpdatedAt are set by the store when zero; CreatedAt
	// survives later upserts.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PrimaryName returns the subject's first primary name, else its first name.
func (s *Subject) PrimaryName() string {
	for _, n := range s.Names {
		if n.Kind == NamePrimary || n.Kind == "" {
			return n.Full
		}
	}
	if len(s.Names) > 0 {
		return s.Names[0].Full
	}
	return ""
}

// HasIdentifier reports whether s holds id.
func (s *Subject) HasIdentifier(id Identifier) bool {
	for _, v := range s.Identifiers {
		if v == id {
			return true
		}
	}
	return false
}

// MaxIDLen bounds molehunt ids and sources' own ids, in bytes.
const MaxIDLen = 256

// Validate reports the first problem that makes s unfit to store, as a
// *RecordError naming the field.
func (s *Subject) Validate() error {
	rec := "subject " + s.ID
	fail := func(field string, err error) error { return &RecordError{Record: rec, Field: field, Err: err} }
	if err := checkID(s.ID); err != nil {
		return fail("id", err)
	}
	if !s.Role.Valid() {
		return fail("role", fmt.Errorf("unknown role %q", s.Role))
	}
	if !s.Status.Valid() {
		return fail("status", fmt.Errorf("unknown status %q", s.Status))
	}
	if len(s.Names) == 0 {
		return fail("names", errors.New("no name"))
	}
	for i, n := range s.Names {
		if strings.TrimSpace(n.Full) == "" {
			return fail(fmt.Sprintf("names[%d].full", i), errors.New("empty"))
		}
	}
	if s.BirthDate != "" {
		if err := checkDatePrefix(s.BirthDate); err != nil {
			return fail("birth_date", err)
		}
	}
	if s.HireDate != "" {
		if _, err := time.Parse(time.DateOnly, s.HireDate); err != nil {
			return fail("hire_date", errors.New("want YYYY-MM-DD"))
		}
	}
	if s.Country != "" && !isCountryCode(s.Country) {
		return fail("country", fmt.Errorf("%q is not an ISO 3166-1 alpha-2 code", s.Country))
	}
	if s.TimeZone != "" {
		if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" {
			return fail("time_zone", fmt.Errorf("%q is not an IANA time zone", s.TimeZone))
		}
	}
	seen := make(map[Identifier]bool, len(s.Identifiers))
	for i, id := range s.Identifiers {
		if err := id.Validate(); err != nil {
			return fail(fmt.Sprintf("identifiers[%d]", i), unwrapRecord(err))
		}
		if seen[id] {
			return fail(fmt.Sprintf("identifiers[%d]", i), fmt.Errorf("duplicate %s", id))
		}
		seen[id] = true
	}
	for i, ref := range s.Sources {
		if err := ref.Source.Validate(); err != nil {
			return fail(fmt.Sprintf("sources[%d].source", i), err)
		}
		if err := checkID(ref.ID); err != nil {
			return fail(fmt.Sprintf("sources[%d].id", i), err)
		}
	}
	return nil
}

// checkID accepts a non-empty id of at most MaxIDLen bytes without control
// characters or surrounding space.
func checkID(id string) error {
	switch {
	case id == "":
		return errors.New("empty")
	case len(id) > MaxIDLen:
		return fmt.Errorf("%d bytes, more than %d", len(id), MaxIDLen)
	case strings.TrimSpace(id) != id:
		return errors.New("surrounding white space")
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return errors.New("control or invalid character")
		}
	}
	return nil
}

// checkDatePrefix accepts "YYYY", "YYYY-MM" and "YYYY-MM-DD".
func checkDatePrefix(s string) error {
	for _, layout := range []string{"2006", "2006-01", time.DateOnly} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return nil
			}
		}
	}
	return fmt.Errorf("%q is not YYYY, YYYY-MM or YYYY-MM-DD", s)
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// unwrapRecord returns the cause inside a *RecordError so that an outer
// RecordError can name the outer record and a field path instead.
func unwrapRecord(err error) error {
	var re *RecordError
	if errors.As(err, &re) {
		if re.Field != "" {
			return fmt.Errorf("%s: %w", re.Field, re.Err)
		}
		return re.Err
	}
	return err
}
