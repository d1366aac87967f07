package gen

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

var jobs = []struct {
	id   int
	name string
}{{87752, "Senior Backend Engineer"}, {87753, "Frontend Engineer"}, {87760, "Site Reliability Engineer"},
	{87761, "Data Engineer"}, {87770, "Mobile Engineer (iOS)"}, {87771, "Full Stack Developer"}, {87780, "QA Automation Engineer"},
	{87790, "Product Designer"}, {87791, "Technical Support Engineer"}, {87800, "Machine Learning Engineer"}}

var sources = []struct {
	id   int
	name string
}{{12, "Jobs page on your website"}, {16, "LinkedIn (Prospecting)"}, {4, "LinkedIn"}, {21, "Indeed"}, {33, "Wellfound"}}

// greenhouseAddress writes an address as candidates type it: US addresses
// on two lines, "City, ST 12345" last; others on one line.
func (p *person) greenhouseAddress() string {
	street := p.street
	if p.unit != "" {
		street += " " + p.unit
	}
	if p.country.code == "US" {
		return street + "\n" + p.city.name + ", " + p.city.region + " " + p.postal
	}
	return street + ", " + p.postal + " " + p.city.name + ", " + p.country.name
}

func (o *org) writeGreenhouse(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "greenhouse-candidates.json"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	out.WriteString("[\n")
	b := make([]byte, 0, 8192)
	for i, p := range o.people {
		if i%4096 == 0 && ctx.Err() != nil {
			out.close()
			return nil, ctx.Err()
		}
		var ev int
		b, ev = o.appendCandidate(b[:0], p)
		if i > 0 {
			out.WriteString(",\n")
		}
		out.Write(b)
		cnt.events.Add(int64(ev))
		cnt.subjects.Add(1)
	}
	out.WriteString("\n]\n")
	return []string{name}, out.close()
}

// appendCandidate appends p as a Harvest candidate object and returns how
// many hr_change events the ATS parser makes of it.
func (o *org) appendCandidate(b []byte, p *person) ([]byte, int) {
	r := newRNG(uint64(o.cfg.Seed), streamGreenhouse, uint64(p.idx))
	job := pick(&r, jobs)
	events := 1 // applied
	last := p.applied.Add(time.Duration(r.between(3600, 72*3600)) * time.Second)
	status := "active"
	switch {
	case p.hired:
		status = "hired"
		last = p.hire.AddDate(0, 0, -r.between(7, 14)).Add(time.Duration(r.between(14, 22)) * time.Hour)
		events++
	case !p.rejected.IsZero():
		status = "rejected"
		last = p.rejected
		events++
	}
	if last.After(o.end) {
		last = o.end.Add(-time.Hour)
	}
	if last.Before(p.applied) {
		last = p.applied.Add(time.Hour)
	}
	b = append(b, `{"id":`...)
	b = appendInt(b, p.candID)
	b = append(b, ',')
	b = appendKV(b, "first_name", p.given)
	b = appendKV(b, "last_name", p.family)
	b = append(b, `"company":null,"title":null,"created_at":`...)
	b = appendStr(b, string(appendRFC3339Milli(nil, p.applied)))
	b = append(b, `,"updated_at":`...)
	b = appendStr(b, string(appendRFC3339Milli(nil, last)))
	b = append(b, `,"last_activity":`...)
	b = appendStr(b, string(appendRFC3339Milli(nil, last)))
	b = append(b, `,"is_private":false,"photo_url":null,"attachments":[{"filename":`...)
	b = appendStr(b, p.given+"_"+p.family+"_Resume.pdf")
	b = append(b, `,"url":"https://prod-heroku.s3.amazonaws.com/`...)
	b = r.appendHex(b, 24)
	b = append(b, `","type":"resume","created_at":`...)
	b = appendStr(b, string(appendRFC3339Milli(nil, p.applied)))
	b = append(b, `}],"application_ids":[`...)
	b = appendInt(b, p.appID)
	b = append(b, `],"phone_numbers":[{"value":`...)
	b = appendStr(b, p.phone)
	b = append(b, `,"type":"mobile"}],"addresses":[{"value":`...)
	b = appendStr(b, p.greenhouseAddress())
	b = append(b, `,"type":"home"}],"email_addresses":[{"value":`...)
	b = appendStr(b, p.email)
	b = append(b, `,"type":"personal"}],"website_addresses":[],"social_media_addresses":[{"value":`...)
	b = appendStr(b, p.linkedin)
	b = append(b, `}],"recruiter":{"id":92120,"first_name":"Dana","last_name":"Whitfield","name":"Dana Whitfield","employee_id":"E100007"},"coordinator":null,"can_email":true,"tags":[],"applications":[{"id":`...)
	b = appendInt(b, p.appID)
	b = append(b, `,"candidate_id":`...)
	b = appendInt(b, p.candID)
	b = append(b, `,"prospect":false,"applied_at":`...)
	b = appendStr(b, string(appendRFC3339Milli(nil, p.applied)))
	b = append(b, `,"rejected_at":`...)
	if status == "rejected" {
		b = appendStr(b, string(appendRFC3339Milli(nil, p.rejected)))
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"last_activity_at":`...)
	b = appendStr(b, string(appendRFC3339Milli(nil, last)))
	b = append(b, `,"location":{"address":`...)
	b = appendStr(b, p.city.name+", "+p.city.regionName+", "+p.country.name)
	b = append(b, `},"source":`...)
	if p.referrer >= 0 {
		ref := o.people[p.referrer]
		b = append(b, `{"id":7,"public_name":"Referral"},"credited_to":{"id":`...)
		b = appendInt(b, 500000+int64(ref.idx))
		b = append(b, ',')
		b = appendKV(b, "first_name", ref.given)
		b = appendKV(b, "last_name", ref.family)
		b = appendKV(b, "name", ref.fullName())
		b = append(b, `"employee_id":`...)
		b = appendStr(b, ref.empID)
		b = append(b, '}')
		events++
	} else {
		s := pick(&r, sources)
		b = append(b, `{"id":`...)
		b = appendInt(b, int64(s.id))
		b = append(b, `,"public_name":`...)
		b = appendStr(b, s.name)
		b = append(b, `},"credited_to":null`...)
	}
	b = append(b, `,"rejection_reason":`...)
	if status == "rejected" {
		b = append(b, `{"id":9504,"name":"Lacking skill(s)/qualification(s)","type":{"id":1,"name":"We rejected them"}}`...)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"jobs":[{"id":`...)
	b = appendInt(b, int64(job.id))
	b = append(b, `,"name":`...)
	b = appendStr(b, job.name)
	b = append(b, `}],"status":`...)
	b = appendStr(b, status)
	b = append(b, `,"current_stage":`...)
	switch status {
	case "hired":
		b = append(b, `{"id":2966801,"name":"Offer"}`...)
	case "rejected":
		b = append(b, `{"id":1073533,"name":"Take Home Test"}`...)
	default:
		b = append(b, `{"id":1073530,"name":"Application Review"}`...)
	}
	b = append(b, `,"answers":[{"question":"LinkedIn Profile","answer":`...)
	b = appendStr(b, p.linkedin)
	b = append(b, '}')
	if p.github != "" {
		b = append(b, `,{"question":"GitHub profile","answer":`...)
		b = appendStr(b, p.github)
		b = append(b, '}')
	}
	b = append(b, `,{"question":"Are you legally authorized to work in the country of this role?","answer":"Yes"}]`...)
	if status == "hired" {
		b = append(b, `,"offer":{"id":`...)
		b = appendInt(b, 3_000_000+int64(p.idx))
		b = append(b, `,"resolved_at":`...)
		b = appendStr(b, string(appendRFC3339Milli(nil, last)))
		b = append(b, `,"starts_at":`...)
		b = appendStr(b, p.hire.Format(time.DateOnly))
		b = append(b, '}')
	}
	b = append(b, `,"prospect_detail":{"prospect_pool":null,"prospect_stage":null,"prospect_owner":null},"attachments":[]}],"educations":[],"employments":[],"linked_user_ids":[],"custom_fields":{},"keyed_custom_fields":{}}`...)
	return b, events
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var _ = fmt.Sprintf
