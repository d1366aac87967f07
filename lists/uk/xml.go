package uk

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"molehunt"
)

// node is a <Designation> read as a plain tree. The FCDO XML nests most
// values in wrapper elements (<DOBs><DOB>, <PassportDetails><Passport>)
// whose names have changed between releases; looking values up by their
// own element name, wherever they sit, keeps the parser working across
// those changes.
type node struct {
	name string
	text strings.Builder
	kids []*node
}

func (n *node) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	n.name = start.Name.Local
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			k := &node{}
			if err := k.UnmarshalXML(d, t); err != nil {
				return err
			}
			n.kids = append(n.kids, k)
		case xml.CharData:
			n.text.Write(t)
		case xml.EndElement:
			return nil
		}
	}
}

// Text is the element's own text, trimmed.
func (n *node) Text() string { return strings.TrimSpace(n.text.String()) }

// child returns the text of the first direct child called name.
func (n *node) child(name string) string {
	for _, k := range n.kids {
		if k.name == name {
			return k.Text()
		}
	}
	return ""
}

// all returns every descendant called name, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(p *node) {
		for _, k := range p.kids {
			if k.name == name {
				out = append(out, k)
			}
			walk(k)
		}
	}
	walk(n)
	return out
}

// texts returns the text of every descendant called name.
func (n *node) texts(name string) []string {
	var out []string
	for _, k := range n.all(name) {
		out = append(out, k.Text())
	}
	return out
}

// parseXML reads the FCDO UK Sanctions List XML.
func parseXML(data []byte) ([]molehunt.ListEntry, string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	fail := func(record, field string, err error) ([]molehunt.ListEntry, string, error) {
		return nil, "", &molehunt.RecordError{File: File, Record: record, Field: field, Err: err}
	}
	var (
		version   string
		entries   []molehunt.ListEntry
		rootSeen  bool
		rootEnded bool
		n         int
		open      []string
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			rec, field := "Designations", ""
			if n > 0 {
				rec = fmt.Sprintf("after Designation[%d]", n)
			}
			if len(open) > 0 {
				field = open[len(open)-1]
			}
			return fail(rec, field, fmt.Errorf("%w: %w", ErrMalformed, err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !rootSeen {
				if t.Name.Local != "Designations" {
					return fail("", t.Name.Local, fmt.Errorf("%w: root element <%s>, want <Designations>", ErrUnknownFormat, t.Name.Local))
				}
				rootSeen = true
				open = append(open, t.Name.Local)
				continue
			}
			switch t.Name.Local {
			case "Designation":
				n++
				var d node
				if err := dec.DecodeElement(&d, &t); err != nil {
					return fail(fmt.Sprintf("Designation[%d]", n), "", fmt.Errorf("%w: %w", ErrMalformed, err))
				}
				id := d.child("UniqueID")
				rec := fmt.Sprintf("Designation[%d] (UniqueID %s)", n, id)
				e, field, err := mapDesignation(&d, id)
				if err != nil {
					return fail(rec, field, err)
				}
				entries = append(entries, e)
			case "DateGenerated":
				var s string
				if err := dec.DecodeElement(&s, &t); err != nil {
					return fail("Designations", "DateGenerated", fmt.Errorf("%w: %w", ErrMalformed, err))
				}
				if iso, ok := ukDate(s); ok && len(iso) == 10 {
					version = iso
				}
			default:
				if err := dec.Skip(); err != nil {
					return fail("Designations", t.Name.Local, fmt.Errorf("%w: %w", ErrMalformed, err))
				}
			}
		case xml.EndElement:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			if t.Name.Local == "Designations" {
				rootEnded = true
			}
		}
	}
	if !rootSeen {
		return fail("", "Designations", fmt.Errorf("%w: no <Designations> element", ErrUnknownFormat))
	}
	if !rootEnded {
		return fail(fmt.Sprintf("after Designation[%d]", n), "Designations", fmt.Errorf("%w: file ends before </Designations>", ErrMalformed))
	}
	return entries, version, nil
}

// mapDesignation returns the entry, or the field that makes it unusable.
func mapDesignation(d *node, id string) (molehunt.ListEntry, string, error) {
	if id == "" {
		return molehunt.ListEntry{}, "UniqueID", fmt.Errorf("%w: designation has no UniqueID", ErrMalformed)
	}
	b := newBuilder(id)
	b.entityType(d.child("IndividualEntityShip"))
	for _, names := range d.all("Names") {
		for _, nm := range names.kids {
			if nm.name != "Name" {
				continue
			}
			var r rawName
			for i := range r.Parts {
				r.Parts[i] = nm.child(fmt.Sprintf("Name%d", i+1))
			}
			r.Type, r.Quality = nm.child("NameType"), nm.child("AliasStrength")
			b.name(r)
		}
	}
	for _, s := range d.texts("NameNonLatinScript") {
		b.originalScript(s)
	}
	if len(b.E.Names) == 0 {
		return molehunt.ListEntry{}, "Names", fmt.Errorf("%w: designation has no name", ErrMalformed)
	}
	for _, t := range d.texts("Title") {
		b.AppendUnique(&b.Titles, "title", t)
	}
	for _, r := range d.texts("RegimeName") {
		b.AppendUnique(&b.E.Programs, "program", r)
	}
	b.listedOn(d.child("DateDesignated"))
	if un := d.child("UNReferenceNumber"); un != "" {
		b.Remark("UN reference number: " + un)
	}
	for _, s := range d.texts("OtherInformation") {
		b.Remark(s)
	}
	for _, s := range d.texts("UKStatementofReasons") {
		b.Remark("Statement of reasons: " + s)
	}
	for _, a := range d.all("Address") {
		var r rawAddress
		for i := range r.Lines {
			r.Lines[i] = a.child(fmt.Sprintf("AddressLine%d", i+1))
		}
		r.PostalCode, r.Country = a.child("AddressPostalCode"), a.child("AddressCountry")
		b.address(r)
	}
	for _, p := range d.texts("PhoneNumber") {
		b.AppendUnique(&b.E.Phones, "phone", p)
	}
	for _, e := range d.texts("EmailAddress") {
		b.email(e)
	}
	for _, name := range []string{"Website", "WebsiteAddress"} {
		for _, w := range d.texts(name) {
			b.AppendUnique(&b.E.Websites, "website", w)
		}
	}
	for _, dob := range d.texts("DOB") {
		b.birthDate(dob)
	}
	for _, loc := range d.all("Location") {
		b.birthPlace(loc.child("TownOfBirth"), loc.child("CountryOfBirth"))
	}
	for _, nat := range d.texts("Nationality") {
		b.nationality(nat)
	}
	for _, p := range d.texts("Position") {
		b.Remark("Position: " + p)
	}
	for _, p := range d.all("Passport") {
		b.document("passport", p.child("PassportNumber"), p.child("PassportAdditionalInformation"))
	}
	for _, p := range d.all("NationalIdentifier") {
		b.document("national_id", p.child("NationalIdentifierNumber"), p.child("NationalIdentifierAdditionalInformation"))
	}
	for _, r := range d.texts("BusinessRegistrationNumber") {
		b.document("registration_number", r, "")
	}
	for _, imo := range d.texts("IMONumber") {
		b.document("imo", imo, "")
	}
	for _, hin := range d.texts("HullIdentificationNumber") {
		b.document("hull_id", hin, "")
	}
	return b.finish(), "", nil
}
