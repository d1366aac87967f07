package gen

import (
	"context"
	"time"
)

// writePeople writes people.jsonl: one canonical subject per person, with
// the Greenhouse subject's id and every identifier the organisation holds
// about them (HRIS: work login, laptop, pay account, identity document;
// ATS attachments: photo and resume fingerprints). It sorts after the
// Greenhouse export, so a directory ingest stores this fuller record last.
func (o *org) writePeople(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "people.jsonl"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 4096)
	for i, p := range o.people {
		if i%4096 == 0 && ctx.Err() != nil {
			out.close()
			return nil, ctx.Err()
		}
		b = o.appendPerson(b[:0], p)
		out.Write(b)
	}
	for _, v := range o.vendors {
		b = appendVendor(b[:0], v)
		out.Write(b)
		cnt.subjects.Add(1)
	}
	return []string{name}, out.close()
}

func (o *org) appendPerson(b []byte, p *person) []byte {
	role, status := "candidate", "applicant"
	switch {
	case p.hired && p.contractor:
		role, status = "contractor", "active"
	case p.hired:
		role, status = "employee", "active"
	case !p.rejected.IsZero():
		status = "rejected"
	}
	if p.hired && !p.end.IsZero() && p.end.Before(o.end) {
		status = "terminated"
	}
	if p.hired && p.hire.After(o.end) {
		status = "offered"
	}
	b = append(b, `{"type":"subject","id":`...)
	b = appendStr(b, p.subjectID())
	b = append(b, `,"role":`...)
	b = appendStr(b, role)
	b = append(b, `,"status":`...)
	b = appendStr(b, status)
	b = append(b, `,"names":[{"full":`...)
	b = appendStr(b, p.fullName())
	b = append(b, `,"kind":"primary","given":`...)
	b = appendStr(b, p.given)
	b = append(b, `,"family":`...)
	b = appendStr(b, p.family)
	b = append(b, `}],"birth_date":`...)
	b = appendStr(b, p.dob)
	b = append(b, `,"country":`...)
	b = appendStr(b, p.country.code)
	b = append(b, `,"city":`...)
	b = appendStr(b, p.city.name)
	b = append(b, `,"time_zone":`...)
	b = appendStr(b, p.city.tz)
	street := p.street
	if p.unit != "" {
		street += " " + p.unit
	}
	b = append(b, `,"addresses":[`...)
	b = appendAddress(b, street, p.city, p.postal, p.country.code)
	if p.move != nil && p.move.at.Before(o.end) {
		b = append(b, ',')
		ms := p.move.street
		if p.move.unit != "" {
			ms += " " + p.move.unit
		}
		b = appendAddress(b, ms, p.move.city, p.move.postal, p.country.code)
	}
	b = append(b, `],"identifiers":[`...)
	id := func(kind, v string) {
		if b[len(b)-1] != '[' {
			b = append(b, ',')
		}
		b = appendStr(b, kind+":"+v)
	}
	id("email", p.email)
	id("phone", p.phone)
	id("postal_address", street+", "+p.city.name+", "+p.city.region+" "+p.postal+", "+p.country.code)
	id("profile_url", p.linkedin)
	if p.github != "" {
		id("profile_url", p.github)
	}
	id("government_id", p.gov.country+":"+p.gov.typ+":"+p.gov.number)
	id("photo_hash", p.photo)
	id("resume_fingerprint", p.resume)
	if p.hired {
		id("email", p.login)
		id("login", p.login)
		id("device_serial", p.dev.serial)
		id("hardware_uuid", p.dev.uuid)
		// The pay account on file when the export was taken.
		id("bank_account", p.accountAt(o.end).digestInput())
	}
	b = append(b, ']')
	if p.hired {
		b = append(b, `,"hire_date":`...)
		b = appendStr(b, p.hire.Format(time.DateOnly))
	}
	b = append(b, `,"sources":[{"source":"greenhouse","id":`...)
	b = appendStr(b, itoa(p.candID))
	b = append(b, '}')
	if p.hired {
		b = append(b, `,{"source":"hris","id":`...)
		b = appendStr(b, p.empID)
		b = append(b, `},{"source":"okta","id":`...)
		b = appendStr(b, p.oktaID)
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

func appendAddress(b []byte, street string, c *city, postal, cc string) []byte {
	b = append(b, `{"street":`...)
	b = appendStr(b, street)
	b = append(b, `,"city":`...)
	b = appendStr(b, c.name)
	if c.region != "" {
		b = append(b, `,"region":`...)
		b = appendStr(b, c.region)
	}
	b = append(b, `,"postal_code":`...)
	b = appendStr(b, postal)
	b = append(b, `,"country":`...)
	b = appendStr(b, cc)
	return append(b, '}')
}

// digestInput is the account as the canonical format's bank_account
// identifier takes it: "routing:account", an IBAN, or "provider:account"
// for a money service (as the payroll parser digests it).
func (a payAcct) digestInput() string {
	switch {
	case a.iban != "":
		return a.iban
	case a.routing != "":
		return a.routing + ":" + a.account
	case a.provider != "":
		return a.provider + ":" + a.account
	}
	return a.bank + ":" + a.account
}

func appendVendor(b []byte, v *vendor) []byte {
	b = append(b, `{"type":"subject","id":`...)
	b = appendStr(b, v.subjectID())
	b = append(b, `,"role":"payee","status":"active","names":[{"full":`...)
	b = appendStr(b, v.name)
	b = append(b, `,"kind":"primary"}],"country":`...)
	b = appendStr(b, v.country)
	b = append(b, `,"identifiers":[`...)
	b = appendStr(b, "bank_account:"+v.pay.digestInput())
	b = append(b, `],"sources":[{"source":"ap","id":`...)
	b = appendStr(b, v.id)
	return append(b, "}]}\n"...)
}
