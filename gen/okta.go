package gen

import (
	"context"
	"strings"
	"time"
)

// Okta event kinds written.
const (
	oktaSessionStart uint8 = iota
	oktaSessionFail
	oktaMFA
	oktaSSO
)

type oktaRec struct {
	t    int64 // unix milliseconds
	seq  uint64
	w    int32
	typ  uint8
	app  uint8
	ip   uint32
	rg   *ipRange
	geo  *city
	cc   *country
	sess uint64
	mfa  string // Okta Verify device registration id
}

func (r oktaRec) key() (int64, uint64) { return r.t, r.seq }

var oktaApps = []struct{ id, name string }{
	{"0oa1slack0app0000x7", "Slack"}, {"0oa1github0ent0000x7", "GitHub Enterprise Cloud"},
	{"0oa1gsuite0app0000x7", "Google Workspace"}, {"0oa1atlassian000x7", "Atlassian Cloud"},
	{"0oa1zoom0app000000x7", "Zoom"}, {"0oa1aws0iic0000000x7", "AWS IAM Identity Center"},
}

func (o *org) writeOkta(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "okta-system-log.ndjson"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	// Generation and sorting run here; rendering and writing run in a
	// second goroutine, so the two cores share the largest file.
	var pending []oktaRec
	batches := make(chan []oktaRec, 2)
	written := make(chan error, 1)
	go func() {
		b := make([]byte, 0, 4096)
		for batch := range batches {
			for i := range batch {
				b = o.appendOkta(b[:0], &batch[i])
				out.Write(b)
			}
			cnt.events.Add(int64(len(batch)))
		}
		written <- out.close()
	}()
	startMs, endMs := o.start.UnixMilli(), o.end.UnixMilli()
	flush := func(before int64) {
		sortTimed(pending)
		n := 0
		var batch []oktaRec
		for n < len(pending) && pending[n].t < before {
			if rec := pending[n]; rec.t >= startMs && rec.t < endMs {
				batch = append(batch, rec)
			}
			n++
		}
		if len(batch) > 0 {
			batches <- batch
		}
		pending = append(pending[:0], pending[n:]...)
	}
	farmMFA := map[int]string{}
	for k, n := range o.networks {
		if n.farm != nil {
			r := newRNG(uint64(o.cfg.Seed), streamNetwork, uint64(k), 5)
			for _, m := range n.members {
				farmMFA[m] = "guo" + r.chars(base62, 17)
			}
		}
	}
	for d := o.start.AddDate(0, 0, -1); d.Before(o.end.AddDate(0, 0, 1)); d = d.AddDate(0, 0, 1) {
		if err := ctx.Err(); err != nil {
			close(batches)
			<-written
			return nil, err
		}
		day := uint64(d.Unix() / 86400)
		for _, p := range o.people[:o.workers] {
			if !p.activeOn(d) {
				continue
			}
			pending = o.oktaDay(pending, p, d, day, farmMFA[p.idx])
		}
		flush(d.Add(flushBefore).UnixMilli())
	}
	flush(1 << 62)
	close(batches)
	return []string{name}, <-written
}

// oktaDay appends one person's sign-ins of local day d.
func (o *org) oktaDay(pending []oktaRec, p *person, d time.Time, day uint64, sharedMFA string) []oktaRec {
	r := newRNG(uint64(o.cfg.Seed), streamOkta, uint64(p.idx), day)
	loc := p.live
	onTrip := p.trip != nil && !d.Before(p.trip.from) && d.Before(p.trip.to)
	if onTrip {
		loc = o.loc(p.trip.city.tz)
	}
	mid := localDay(d, loc)
	wd := mid.Weekday()
	if wd == time.Saturday || wd == time.Sunday {
		if !r.chance(0.04) {
			return pending
		}
	} else if r.chance(0.05) {
		return pending // leave, sick day
	}
	sessions := 1
	if r.chance(0.3) {
		sessions = 2
	}
	mfa := p.mfaDevice
	if sharedMFA != "" {
		mfa = sharedMFA
	}
	for s := 0; s < sessions; s++ {
		h := p.startHour + r.norm(0, 0.35)
		if s == 1 {
			h += 4 + r.float()
		}
		t := mid.Add(hours(h))
		rec := oktaRec{w: int32(p.idx), mfa: mfa, sess: r.next()}
		o.oktaNetwork(&rec, p, d, wd, onTrip, &r)
		seq := uint64(p.idx)<<20 | uint64(s)<<8
		add := func(typ, app uint8, at time.Time) {
			rec.typ, rec.app, rec.t = typ, app, at.UnixMilli()
			rec.seq = seq
			seq++
			pending = append(pending, rec)
		}
		if r.chance(0.03) {
			add(oktaSessionFail, 0, t.Add(-time.Duration(r.between(15, 90))*time.Second))
		}
		add(oktaSessionStart, 0, t)
		t = t.Add(time.Duration(r.between(4, 20)) * time.Second)
		add(oktaMFA, 0, t)
		for k := r.between(0, 2); k > 0; k-- {
			t = t.Add(time.Duration(r.between(20, 2400)) * time.Second)
			add(oktaSSO, uint8(r.intn(len(oktaApps))), t)
		}
	}
	return pending
}

// oktaNetwork chooses where a session comes from.
func (o *org) oktaNetwork(rec *oktaRec, p *person, d time.Time, wd time.Weekday, onTrip bool, r *rng) {
	rec.cc, rec.geo = p.country, p.city
	if c := p.covert; c != nil {
		switch x := r.float(); {
		case x < 0.004:
			rec.rg, rec.ip = netKP, netKP.random(r)
		case x < 0.01:
			rec.rg, rec.ip = netUnicomLN, netUnicomLN.random(r)
		case c.farm && x < 0.56:
			site := o.networks[c.network].farm
			rec.rg, rec.ip, rec.geo = site.isp, site.ip, site.c
		case !c.farm && x < 0.2:
			rec.rg, rec.ip = p.homeISP, p.homeIP
		default:
			k := r.intn(len(c.exit))
			rec.rg, rec.ip = c.exit[k], c.exitIPs[k]
			if r.chance(0.3) { // a fresh exit of the same provider
				rec.ip = c.exit[k].random(r)
			}
		}
		return
	}
	switch {
	case onTrip:
		isp := p.trip.cc.isps[0]
		rec.rg, rec.ip, rec.geo, rec.cc = isp, isp.addr(uint64(p.idx)*31+uint64(d.Unix()/86400)), p.trip.city, p.trip.cc
		return
	case p.office != nil && p.office.days[wd] && r.chance(0.85):
		rec.rg, rec.ip, rec.geo, rec.cc = p.office.net, pick(r, p.office.ips), p.office.city, p.office.cc
		return
	case p.vpn > 0 && r.chance(p.vpn):
		ex := pick(r, vpnExits)
		rec.rg, rec.ip = ex, ex.random(r)
		return
	case p.move != nil && !d.Before(p.move.at):
		rec.rg, rec.ip, rec.geo = p.move.isp, p.move.ip, p.move.city
		return
	}
	rec.rg, rec.ip = p.homeISP, p.homeIP
}

func (p *person) userAgent() (ua, os, browser string) {
	if p.dev.mac {
		return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36", "Mac OS X", "CHROME"
	}
	if p.idx%3 == 0 {
		return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36 Edg/133.0.0.0", "Windows 10", "EDGE_CHROMIUM"
	}
	return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36", "Windows 10", "CHROME"
}

func (o *org) appendOkta(b []byte, rec *oktaRec) []byte {
	p := o.people[rec.w]
	r := newRNG(rec.sess, rec.seq)
	b = append(b, `{"uuid":`...)
	b = appendStr(b, r.uuid())
	b = append(b, `,"published":"`...)
	b = appendRFC3339Milli(b, time.UnixMilli(rec.t))
	b = append(b, `","eventType":`...)
	var legacy, display, uri string
	outcome, reason := "SUCCESS", "null"
	switch rec.typ {
	case oktaSessionStart:
		b = appendStr(b, "user.session.start")
		legacy, display, uri = "core.user_auth.login_success", "User login to Okta", "/idp/idx/identify"
	case oktaSessionFail:
		b = appendStr(b, "user.session.start")
		legacy, display, uri = "core.user_auth.login_failed", "User login to Okta", "/idp/idx/challenge/answer"
		outcome, reason = "FAILURE", `"INVALID_CREDENTIALS"`
	case oktaMFA:
		b = appendStr(b, "user.authentication.auth_via_mfa")
		legacy, display, uri = "core.user.factor.attempt_success", "Authentication of user via MFA", "/idp/idx/authenticators/poll"
	default:
		b = appendStr(b, "user.authentication.sso")
		legacy, display, uri = "app.auth.sso", "User single sign on to app", "/app/"+slug(oktaApps[rec.app].name)+"/sso/saml"
	}
	b = append(b, `,"version":"0","severity":"INFO","legacyEventType":`...)
	b = appendStr(b, legacy)
	b = append(b, `,"displayMessage":`...)
	b = appendStr(b, display)
	b = append(b, `,"actor":{"id":`...)
	b = appendStr(b, p.oktaID)
	b = append(b, `,"type":"User","alternateId":`...)
	b = appendStr(b, p.login)
	b = append(b, `,"displayName":`...)
	b = appendStr(b, p.fullName())
	ua, uos, browser := p.userAgent()
	b = append(b, `,"detailEntry":null},"client":{"userAgent":{"rawUserAgent":`...)
	b = appendStr(b, ua)
	b = append(b, `,"os":`...)
	b = appendStr(b, uos)
	b = append(b, `,"browser":`...)
	b = appendStr(b, browser)
	b = append(b, `},"zone":"null","device":"Computer","id":null,"ipAddress":"`...)
	b = appendIP(b, rec.ip)
	geoStart := len(b)
	b = append(b, `","geographicalContext":`...)
	b = appendGeo(b, rec)
	geo := b[geoStart+len(`","geographicalContext":`):]
	b = append(b, '}')
	if rec.typ == oktaMFA {
		b = append(b, `,"device":{"id":`...)
		b = appendStr(b, rec.mfa)
		b = append(b, `,"name":"iPhone","os_platform":"IOS","os_version":"18.3","managed":false,"registered":true,"device_integrator":null,"disk_encryption_type":"ALL_INTERNAL_VOLUMES","screen_lock_type":"BIOMETRIC","jailbreak":false,"secure_hardware_present":true}`...)
	} else {
		b = append(b, `,"device":null`...)
	}
	b = append(b, `,"authenticationContext":{"authenticationProvider":null,"credentialProvider":null,"credentialType":null,"issuer":null,"interface":null,"authenticationStep":0,"externalSessionId":"102`...)
	b = appendSessionID(b, rec.sess)
	b = append(b, `"},"outcome":{"result":`...)
	b = appendStr(b, outcome)
	b = append(b, `,"reason":`...)
	b = append(b, reason...)
	b = append(b, `},"securityContext":{"asNumber":`...)
	b = appendUint(b, uint64(rec.rg.asn))
	b = append(b, `,"asOrg":`...)
	b = appendStr(b, rec.rg.org)
	b = append(b, `,"isp":`...)
	b = appendStr(b, rec.rg.org)
	b = append(b, `,"domain":`...)
	b = appendStr(b, rec.rg.domain)
	b = append(b, `,"isProxy":`...)
	if rec.rg.proxy {
		b = append(b, "true"...)
	} else {
		b = append(b, "false"...)
	}
	reqID := r.chars(base62, 27)
	b = append(b, `},"debugContext":{"debugData":{"requestId":`...)
	b = appendStr(b, reqID)
	b = append(b, `,"requestUri":`...)
	b = appendStr(b, uri)
	b = append(b, `,"threatSuspected":"false"`...)
	if rec.typ == oktaMFA {
		b = append(b, `,"factor":"OKTA_VERIFY_PUSH","factorIntent":"AUTHENTICATION"`...)
	}
	b = append(b, `}},"transaction":{"type":"WEB","id":`...)
	b = appendStr(b, reqID)
	b = append(b, `,"detail":{}},"target":[`...)
	switch rec.typ {
	case oktaMFA:
		b = append(b, `{"id":`...)
		b = appendStr(b, p.mfaID)
		b = append(b, `,"type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"Okta Verify","detailEntry":null}`...)
	case oktaSSO:
		a := oktaApps[rec.app]
		b = append(b, `{"id":`...)
		b = appendStr(b, a.id)
		b = append(b, `,"type":"AppInstance","alternateId":`...)
		b = appendStr(b, a.name)
		b = append(b, `,"displayName":`...)
		b = appendStr(b, a.name)
		b = append(b, `,"detailEntry":{"signOnModeType":"SAML_2_0"}}`...)
	default:
		b = append(b, `{"id":"lae1pwd0enrollment0x7","type":"AuthenticatorEnrollment","alternateId":"unknown","displayName":"Password","detailEntry":null}`...)
	}
	b = append(b, `],"request":{"ipChain":[{"ip":"`...)
	b = appendIP(b, rec.ip)
	b = append(b, `","geographicalContext":`...)
	b = append(b, geo...)
	b = append(b, `,"version":"V4","source":null}]}}`...)
	return append(b, '\n')
}

func appendSessionID(b []byte, s uint64) []byte {
	r := rng{s: s}
	return append(b, r.chars(base62, 20)...)
}

// appendGeo appends the geographicalContext object Okta derives from the IP.
func appendGeo(b []byte, rec *oktaRec) []byte {
	c, countryName := rec.geo, rec.cc.name
	if rec.rg.geo != nil {
		c = rec.rg.geo
		countryName = countryNames[rec.rg.country]
	}
	b = append(b, `{"city":`...)
	b = appendStr(b, c.name)
	b = append(b, `,"state":`...)
	b = appendStr(b, c.regionName)
	b = append(b, `,"country":`...)
	b = appendStr(b, countryName)
	b = append(b, `,"postalCode":`...)
	if c.zip != "" && rec.rg.geo == nil {
		b = appendStr(b, c.zip+strings.Repeat("0", c.zipLen))
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"geolocation":{"lat":`...)
	b = appendFloat(b, c.lat, 4)
	b = append(b, `,"lon":`...)
	b = appendFloat(b, c.lon, 4)
	return append(b, `}}`...)
}

// countryNames are the names Okta writes for the countries of hosting and
// VPN exits and of the networks INDICATORS.md E8 names.
var countryNames = map[string]string{"US": "United States", "FR": "France", "DE": "Germany", "CZ": "Czechia", "LV": "Latvia",
	"RO": "Romania", "SE": "Sweden", "CN": "China", "KP": "North Korea", "GB": "United Kingdom"}
