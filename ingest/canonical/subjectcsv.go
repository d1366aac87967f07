package canonical

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
)

// SubjectCSVParser reads subjects as CSV: a header row, then one subject
// per row. Columns, by header name (case-insensitive; spaces and dashes
// fold to '_'); list columns hold several values separated by ';':
//
//	id (required), role (required: candidate, employee, contractor,
//	vendor_contact, payee), status, name (else given_name + family_name),
//	given_name, family_name, aliases (list), birth_date (or dob), country
//	(ISO alpha-2), city, time_zone (IANA), hire_date, emails (or email),
//	phones (or phone), logins (or login), device_serials (or serial),
//	wallets, profile_urls, photo_hash, addresses (list of one-line
//	addresses), address_street / address_city / address_region /
//	address_postal_code / address_country (one structured address),
//	routing_number + account_number, iban, bank_accounts (list of
//	"routing:account" or IBANs), government_ids (list of
//	"country:type:number"), identifiers (list of "kind:value"), sources
//	(list of "source:id").
//
// Bank accounts and government ids are digested on the way in (never kept);
// every identifier is canonicalised; each address also becomes a
// postal_address identifier. An unknown column is a reject of the header,
// so a misspelt column never silently drops data.
type SubjectCSVParser struct{}

var _ ingest.Parser = (*SubjectCSVParser)(nil)

// NewSubjectCSV returns a subject CSV parser.
func NewSubjectCSV() *SubjectCSVParser { return &SubjectCSVParser{} }

// Source returns molehunt.SourceCSV.
func (*SubjectCSVParser) Source() molehunt.Source { return molehunt.SourceCSV }

// subjectColumns maps folded header names to the column they fill.
var subjectColumns = map[string]string{
	"id": "id", "subject_id": "id", "role": "role", "status": "status",
	"name": "name", "full_name": "name", "given_name": "given_name", "first_name": "given_name",
	"family_name": "family_name", "last_name": "family_name", "aliases": "aliases", "alias": "aliases",
	"birth_date": "birth_date", "dob": "birth_date", "date_of_birth": "birth_date",
	"country": "country", "city": "city", "time_zone": "time_zone", "timezone": "time_zone", "tz": "time_zone",
	"hire_date": "hire_date", "start_date": "hire_date",
	"emails": "emails", "email": "emails", "phones": "phones", "phone": "phones",
	"logins": "logins", "login": "logins", "device_serials": "device_serials", "serial": "device_serials",
	"wallets": "wallets", "wallet": "wallets", "profile_urls": "profile_urls", "profile_url": "profile_urls",
	"photo_hash": "photo_hash", "addresses": "addresses", "address": "addresses",
	"address_street": "address_street", "address_city": "address_city", "address_region": "address_region",
	"address_postal_code": "address_postal_code", "address_country": "address_country",
	"routing_number": "routing_number", "account_number": "account_number", "iban": "iban",
	"bank_accounts": "bank_accounts", "government_ids": "government_ids", "identifiers": "identifiers",
	"sources": "sources",
}

// sensitiveColumns are never echoed into a reject reason.
var sensitiveColumns = map[string]bool{"account_number": true, "iban": true, "bank_accounts": true, "government_ids": true}

func foldHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(s)
}

// Parse reads subject CSV from r and emits a subject per row.
func (*SubjectCSVParser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	canon := canonicalizer(opts)
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var cols []string // column field per index
	var names []string
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if err := emit(reject(opts.File, pe.StartLine, "", fmt.Errorf("%w (line %d, byte %d)", pe.Err, pe.Line, pe.Column))); err != nil {
				return err
			}
			if cols == nil {
				return nil
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("canonical: read %s: %w", opts.File, err)
		}
		line, _ := cr.FieldPos(0)
		if cols == nil {
			if len(fields) > 0 {
				fields[0] = strings.TrimPrefix(fields[0], "\ufeff")
			}
			seen := map[string]string{}
			for _, f := range fields {
				c, ok := subjectColumns[foldHeader(f)]
				if !ok {
					return emit(reject(opts.File, line, f, errors.New("unknown column (see docs/formats.md)")))
				}
				if prev, dup := seen[c]; dup {
					return emit(reject(opts.File, line, f, fmt.Errorf("means %s, as column %q already does", c, prev)))
				}
				seen[c] = f
				cols = append(cols, c)
				names = append(names, f)
			}
			continue
		}
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue
		}
		if len(fields) != len(cols) {
			if err := emit(reject(opts.File, line, "", fmt.Errorf("%d fields; the header has %d", len(fields), len(cols)))); err != nil {
				return err
			}
			continue
		}
		row := map[string]string{}
		col := map[string]string{}
		for i, c := range cols {
			row[c] = strings.TrimSpace(fields[i])
			col[c] = names[i]
		}
		s, field, err := subjectFromRow(row, canon)
		if err == nil {
			err = s.Validate()
		}
		if err != nil {
			if field != "" {
				if n, ok := col[field]; ok {
					field = n
				}
			}
			if err := emit(reject(opts.File, line, field, err)); err != nil {
				return err
			}
			continue
		}
		if err := emit(ingest.Record{Subject: s}); err != nil {
			return err
		}
	}
}

func list(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// subjectFromRow builds a subject; on failure it names the column.
func subjectFromRow(row map[string]string, canon *ident.Canonicalizer) (*molehunt.Subject, string, error) {
	s := &molehunt.Subject{
		ID:        row["id"],
		Role:      molehunt.SubjectRole(strings.ToLower(row["role"])),
		Status:    molehunt.SubjectStatus(strings.ToLower(row["status"])),
		BirthDate: row["birth_date"],
		Country:   strings.ToUpper(row["country"]),
		City:      row["city"],
		TimeZone:  row["time_zone"],
		HireDate:  row["hire_date"],
	}
	full := row["name"]
	if full == "" {
		full = strings.TrimSpace(row["given_name"] + " " + row["family_name"])
	}
	if full != "" {
		s.Names = append(s.Names, molehunt.Name{Full: full, Kind: molehunt.NamePrimary, Given: row["given_name"], Family: row["family_name"]})
	}
	for _, a := range list(row["aliases"]) {
		s.Names = append(s.Names, molehunt.Name{Full: a, Kind: molehunt.NameAlias})
	}
	seen := map[molehunt.Identifier]bool{}
	add := func(column string, kind molehunt.IdentifierKind, raw string) error {
		id, err := canon.Identifier(kind, raw)
		if err != nil {
			if sensitiveColumns[column] {
				return fmt.Errorf("invalid %s", kind) // never echo the number
			}
			return err
		}
		if !seen[id] {
			seen[id] = true
			s.Identifiers = append(s.Identifiers, id)
		}
		return nil
	}
	for _, c := range []struct {
		column string
		kind   molehunt.IdentifierKind
	}{
		{"emails", molehunt.IDEmail}, {"phones", molehunt.IDPhone}, {"logins", molehunt.IDLogin},
		{"device_serials", molehunt.IDDeviceSerial}, {"wallets", molehunt.IDWallet},
		{"profile_urls", molehunt.IDProfileURL}, {"photo_hash", molehunt.IDPhotoHash},
		{"bank_accounts", molehunt.IDBankAccount}, {"government_ids", molehunt.IDGovernmentID},
	} {
		for _, v := range list(row[c.column]) {
			if err := add(c.column, c.kind, v); err != nil {
				return nil, c.column, err
			}
		}
	}
	if acct := row["account_number"]; acct != "" {
		if err := add("account_number", molehunt.IDBankAccount, row["routing_number"]+":"+acct); err != nil {
			return nil, "account_number", err
		}
	} else if row["routing_number"] != "" {
		return nil, "account_number", errors.New("a routing number without an account number")
	}
	if iban := row["iban"]; iban != "" {
		if err := add("iban", molehunt.IDBankAccount, iban); err != nil {
			return nil, "iban", err
		}
	}
	for _, v := range list(row["identifiers"]) {
		k, val, ok := strings.Cut(v, ":")
		if !ok {
			return nil, "identifiers", fmt.Errorf("%q: want kind:value", v)
		}
		if err := add("identifiers", molehunt.IdentifierKind(k), val); err != nil {
			return nil, "identifiers", err
		}
	}
	addAddress := func(column string, a molehunt.Address) error {
		n, err := ident.Address(a)
		if err != nil {
			return err
		}
		s.Addresses = append(s.Addresses, a)
		// The key is ident.Address's Full form; canonicalising it again as
		// a one-line address would move its parts about.
		id := molehunt.Identifier{Kind: molehunt.IDPostalAddress, Value: n.Full}
		if !seen[id] {
			seen[id] = true
			s.Identifiers = append(s.Identifiers, id)
		}
		return nil
	}
	if row["address_street"] != "" || row["address_city"] != "" || row["address_postal_code"] != "" {
		a := molehunt.Address{Street: row["address_street"], City: row["address_city"], Region: row["address_region"],
			PostalCode: row["address_postal_code"], Country: row["address_country"]}
		if err := addAddress("address_street", a); err != nil {
			return nil, "address_street", err
		}
	}
	for _, line := range list(row["addresses"]) {
		if err := addAddress("addresses", molehunt.Address{Street: line}); err != nil {
			return nil, "addresses", err
		}
	}
	for _, v := range list(row["sources"]) {
		src, id, ok := strings.Cut(v, ":")
		if !ok {
			return nil, "sources", fmt.Errorf("%q: want source:id", v)
		}
		s.Sources = append(s.Sources, molehunt.SourceRef{Source: molehunt.Source(strings.TrimSpace(src)), ID: strings.TrimSpace(id)})
	}
	return s, "", nil
}
