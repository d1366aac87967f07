package gen

import (
	"context"
	"sort"
	"strings"
	"time"
)

// writePersona writes the Persona inquiry webhooks (inquiry.completed or
// inquiry.failed) of everyone who went through identity verification.
func (o *org) writePersona(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "persona-inquiries.ndjson"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	type inq struct {
		t time.Time
		p *person
	}
	var all []inq
	for _, p := range o.people {
		if !p.verified {
			continue
		}
		r := newRNG(uint64(o.cfg.Seed), streamPersona, uint64(p.idx))
		t := p.applied.AddDate(0, 0, r.between(6, 18)).Add(time.Duration(r.between(0, 36000)) * time.Second)
		if p.hired && !t.Before(p.hire) {
			t = p.hire.AddDate(0, 0, -3).Add(15 * time.Hour)
		}
		if t.Before(o.start.AddDate(0, 0, -150)) || !t.Before(o.end) {
			continue
		}
		all = append(all, inq{t, p})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].t.Before(all[j].t) })
	b := make([]byte, 0, 4096)
	for _, x := range all {
		b = o.appendInquiry(b[:0], x.p, x.t)
		out.Write(b)
		cnt.events.Add(1)
	}
	return []string{name}, out.close()
}

func (o *org) appendInquiry(b []byte, p *person, t time.Time) []byte {
	r := newRNG(uint64(o.cfg.Seed), streamPersona, uint64(p.idx), 1)
	gov, selfie, live, status, event := "passed", "passed", "passed", "completed", "inquiry.completed"
	if p.covert != nil && p.covert.kind == KindStolenIdentity && !p.hired {
		// The second user of a stolen identity: the licence checks out, the
		// face does not.
		selfie, live, status, event = "failed", "failed", "needs_review", "inquiry.completed"
	} else if r.chance(0.03) {
		gov, status, event = "requires_retry", "failed", "inquiry.failed"
	}
	inqID := "inq_" + r.chars(base62, 24)
	govID, selfieID := "ver_"+r.chars(base62, 24), "ver_"+r.chars(base62, 24)
	created := t.Add(-time.Duration(r.between(300, 900)) * time.Second)
	ts := func(x time.Time) string { return string(appendRFC3339Milli(nil, x)) }
	b = append(b, `{"data":{"type":"event","id":`...)
	b = appendStr(b, "evt_"+r.chars(base62, 24))
	b = append(b, `,"attributes":{"name":`...)
	b = appendStr(b, event)
	b = append(b, `,"created-at":`...)
	b = appendStr(b, ts(t))
	b = append(b, `,"redacted-at":null,"payload":{"data":{"type":"inquiry","id":`...)
	b = appendStr(b, inqID)
	b = append(b, `,"attributes":{`...)
	b = appendKV(b, "status", status)
	b = appendKV(b, "reference-id", "greenhouse-"+itoa(p.candID))
	b = append(b, `"note":null,"tags":[],"creator":"API","reviewer-comment":null,`...)
	b = appendKV(b, "created-at", ts(created))
	b = appendKV(b, "started-at", ts(created.Add(40*time.Second)))
	if status == "failed" {
		b = append(b, `"completed-at":null,`...)
		b = appendKV(b, "failed-at", ts(t.Add(-time.Second)))
	} else {
		b = appendKV(b, "completed-at", ts(t.Add(-time.Second)))
		b = append(b, `"failed-at":null,`...)
	}
	b = append(b, `"decisioned-at":null,"expired-at":null,"redacted-at":null,`...)
	b = appendKV(b, "name-first", strings.ToUpper(asciiUpper(p.given)))
	b = append(b, `"name-middle":null,`...)
	b = appendKV(b, "name-last", strings.ToUpper(asciiUpper(p.family)))
	b = appendKV(b, "birthdate", p.dob)
	b = appendKV(b, "address-street-1", strings.ToUpper(asciiUpper(p.street)))
	b = appendKV(b, "address-city", strings.ToUpper(asciiUpper(p.city.name)))
	b = appendKV(b, "address-subdivision", p.city.regionName)
	b = appendKV(b, "address-postal-code", p.postal)
	b = appendKV(b, "address-country-code", p.country.code)
	b = appendKV(b, "identification-number", p.gov.number)
	b = appendKV(b, "email-address", p.email)
	b = appendKV(b, "phone-number", p.phone)
	b = append(b, `"fields":{"name-first":{"type":"string","value":`...)
	b = appendStr(b, strings.ToUpper(asciiUpper(p.given)))
	b = append(b, `},"name-last":{"type":"string","value":`...)
	b = appendStr(b, strings.ToUpper(asciiUpper(p.family)))
	b = append(b, `},"birthdate":{"type":"date","value":`...)
	b = appendStr(b, p.dob)
	b = append(b, `},"email-address":{"type":"string","value":`...)
	b = appendStr(b, p.email)
	b = append(b, `}}},"relationships":{"inquiry-template":{"data":{"type":"inquiry-template","id":"itmpl_Wk7pR2sT9vB3nM6qL8xZ4cY1"}},"verifications":{"data":[{"type":"verification/government-id","id":`...)
	b = appendStr(b, govID)
	b = append(b, `},{"type":"verification/selfie","id":`...)
	b = appendStr(b, selfieID)
	b = append(b, `}]}}},"included":[{"type":"verification/government-id","id":`...)
	b = appendStr(b, govID)
	b = append(b, `,"attributes":{`...)
	b = appendKV(b, "status", gov)
	b = appendKV(b, "created-at", ts(created.Add(60*time.Second)))
	b = appendKV(b, "completed-at", ts(created.Add(120*time.Second)))
	b = appendKV(b, "country-code", p.gov.country)
	b = appendKV(b, "id-class", p.gov.class)
	b = appendKV(b, "name-first", strings.ToUpper(asciiUpper(p.given)))
	b = appendKV(b, "name-last", strings.ToUpper(asciiUpper(p.family)))
	b = appendKV(b, "birthdate", p.dob)
	b = appendKV(b, "identification-number", p.gov.number)
	b = appendKV(b, "issuing-country", strings.ToLower(p.gov.country))
	b = append(b, `"checks":[{"name":"id_barcode_detection","status":"passed","reasons":[],"requirement":"required","metadata":{}},{"name":"id_expired_detection","status":`...)
	b = appendStr(b, map[bool]string{true: "passed", false: "failed"}[gov == "passed"])
	b = append(b, `,"reasons":[],"requirement":"required","metadata":{}}]}},{"type":"verification/selfie","id":`...)
	b = appendStr(b, selfieID)
	b = append(b, `,"attributes":{`...)
	b = appendKV(b, "status", selfie)
	b = appendKV(b, "created-at", ts(created.Add(150*time.Second)))
	b = append(b, `"checks":[{"name":"selfie_id_comparison","status":`...)
	b = appendStr(b, selfie)
	b = append(b, `,"reasons":[],"requirement":"required","metadata":{}},{"name":"selfie_liveness_detection","status":`...)
	b = appendStr(b, live)
	b = append(b, `,"reasons":[],"requirement":"required","metadata":{}}]}}]}}}}`...)
	return append(b, '\n')
}
