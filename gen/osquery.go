package gen

import (
	"context"
	"time"
)

type osqRec struct {
	t    int64
	seq  uint64
	line []byte
}

func (r osqRec) key() (int64, uint64) { return r.t, r.seq }

// windowsKLID maps keyboard layouts to Windows keyboard layout ids.
var windowsKLID = map[string]string{
	"com.apple.keylayout.US": "00000409", "com.apple.keylayout.British": "00000809", "com.apple.keylayout.German": "00000407",
	"com.apple.keylayout.French": "0000040c", "com.apple.keylayout.Spanish-ISO": "0000040a", "com.apple.keylayout.PolishPro": "00000415",
	"com.apple.keylayout.Ukrainian-PC": "00000422", "com.apple.inputmethod.Kotoeri.RomajiTyping.Japanese": "00000411",
	"com.apple.inputmethod.Korean.2SetKorean": "00000412", "com.apple.inputmethod.TCIM.Zhuyin": "00000404",
	"com.apple.inputmethod.SCIM.ITABC": "00000804", "com.apple.keylayout.Vietnamese": "0000042a",
	"com.apple.keylayout.Brazilian": "00000416", "com.apple.keylayout.LatinAmerican": "0000080a", "com.apple.keylayout.Australian": "00000409",
}

func (o *org) writeOsquery(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "osquery-results.log"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	var pending []osqRec
	flush := func(before int64) {
		sortTimed(pending)
		n := 0
		for n < len(pending) && pending[n].t < before {
			out.Write(pending[n].line)
			n++
		}
		pending = append(pending[:0], pending[n:]...)
	}
	for d := o.start; d.Before(o.end); d = d.AddDate(0, 0, 1) {
		if err := ctx.Err(); err != nil {
			out.close()
			return nil, err
		}
		day := int(d.Sub(o.start).Hours() / 24)
		for _, p := range o.people[:o.workers] {
			if !p.activeOn(d) {
				continue
			}
			before := len(pending)
			pending = o.osqueryDay(pending, p, d, day)
			for _, rec := range pending[before:] {
				cnt.events.Add(int64(rec.seq & 0xff))
			}
		}
		flush(d.Add(flushBefore).Unix())
	}
	flush(1 << 62)
	return []string{name}, out.close()
}

// osqueryDay appends the results one laptop logs on day d. A record's seq
// carries, in its low byte, how many rows (events) it holds.
func (o *org) osqueryDay(pending []osqRec, p *person, d time.Time, day int) []osqRec {
	r := newRNG(uint64(o.cfg.Seed), streamOsquery, uint64(p.idx), uint64(day))
	// Laptops already deployed report their inventory when the agent
	// first checks in during the first week; new ones on their first day.
	first := p.hire.Before(o.start) && sameDay(d, o.start.AddDate(0, 0, p.idx%7)) || sameDay(d, p.hire)
	mid := localDay(d, p.live)
	at := func() time.Time { return mid.Add(hours(p.startHour + 8*r.float())) }
	n := uint64(0)
	add := func(t time.Time, line []byte, rows int) {
		pending = append(pending, osqRec{t: t.Unix(), seq: uint64(p.idx)<<24 | n<<8 | uint64(rows), line: line})
		n++
	}
	env := func(b []byte, query string, t time.Time, counter int) []byte {
		b = append(b, `{"name":`...)
		b = appendStr(b, query)
		// Fleets run with --host_identifier=uuid: host names repeat.
		b = append(b, `,"hostIdentifier":`...)
		b = appendStr(b, p.dev.uuid)
		b = append(b, `,"calendarTime":"`...)
		b = t.UTC().AppendFormat(b, "Mon Jan _2 15:04:05 2006 UTC")
		b = append(b, `","unixTime":`...)
		b = appendInt(b, t.Unix())
		b = append(b, `,"epoch":0,"counter":`...)
		b = appendInt(b, int64(counter))
		b = append(b, `,"numerics":false,"decorations":{"hostname":`...)
		b = appendStr(b, p.dev.host)
		b = append(b, `,"serial":`...)
		b = appendStr(b, p.dev.serial)
		b = append(b, `,"username":`...)
		b = appendStr(b, slug(p.given)[:1]+slug(p.family))
		return append(b, `},`...)
	}
	weekly := int(d.Weekday()) == 1+p.idx%5
	if first || weekly {
		t := at()
		b := env(nil, "pack_inventory_system_info", t, day)
		b = append(b, `"snapshot":[{`...)
		b = appendKV(b, "computer_name", p.dev.host)
		b = appendKV(b, "cpu_brand", p.dev.cpu)
		b = appendKV(b, "hardware_model", p.dev.model)
		b = appendKV(b, "hardware_serial", p.dev.serial)
		b = appendKV(b, "hardware_vendor", p.dev.vendor)
		b = appendKV(b, "hostname", p.dev.host)
		b = appendKV(b, "physical_memory", "34359738368")
		b = append(b, `"uuid":`...)
		b = appendStr(b, p.dev.uuid)
		b = append(b, "}],\"action\":\"snapshot\"}\n"...)
		add(t, b, 1)
		// The laptop's clock: at the farm it is the farm's zone; elsewhere
		// where the laptop really is.
		zone := p.live
		if c := p.covert; c != nil && c.farm {
			zone = o.loc(o.networks[c.network].farm.c.tz)
		} else if c == nil {
			zone = o.loc(p.city.tz)
		}
		b = env(nil, "pack_inventory_time", t, day)
		b = append(b, `"snapshot":[{"local_timezone":`...)
		abbr, _ := t.In(zone).Zone()
		b = appendStr(b, abbr)
		b = append(b, `,"timezone":"UTC","unix_time":`...)
		b = appendStr(b, itoa(t.Unix()))
		b = append(b, "}],\"action\":\"snapshot\"}\n"...)
		add(t, b, 1)
	}
	if first {
		t := at()
		apps := append([]app(nil), commonApps[:6+r.intn(6)]...)
		apps = append(apps, p.extraApps...)
		if p.covert != nil {
			apps = append(apps, p.covert.rmm...)
		}
		var b []byte
		if p.dev.mac {
			b = env(nil, "pack_inventory_apps", t, day)
			b = append(b, `"snapshot":[`...)
			for i, a := range apps {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, '{')
				b = appendKV(b, "bundle_identifier", a.bundle)
				b = appendKV(b, "bundle_short_version", a.version)
				b = appendKV(b, "name", a.name+".app")
				b = append(b, `"path":`...)
				b = appendStr(b, a.macPath)
				b = append(b, '}')
			}
		} else {
			b = env(nil, "pack_inventory_programs", t, day)
			b = append(b, `"snapshot":[`...)
			for i, a := range apps {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, '{')
				b = appendKV(b, "identifying_number", "")
				b = appendKV(b, "install_date", d.AddDate(0, 0, -1).Format("20060102"))
				b = appendKV(b, "install_location", a.winPath)
				b = appendKV(b, "name", a.name)
				b = appendKV(b, "publisher", a.publisher)
				b = append(b, `"version":`...)
				b = appendStr(b, a.version)
				b = append(b, '}')
			}
		}
		b = append(b, "],\"action\":\"snapshot\"}\n"...)
		add(t, b, len(apps))
		usb := []usbDev{commonUSB[r.intn(len(commonUSB))], commonUSB[r.intn(len(commonUSB))]}
		usb = append(usb, p.extraUSB...)
		if p.covert != nil && p.covert.kvm != nil {
			usb = append(usb, *p.covert.kvm)
		}
		for k, u := range usb {
			add(t.Add(time.Duration(k+1)*time.Minute), o.usbLine(env(nil, "pack_it-hardware_usb_devices", t.Add(time.Duration(k+1)*time.Minute), day*8+k), u, k), 1)
		}
		// Keyboard layouts (collected for the opt-in policy only).
		b = env(nil, "pack_inventory_keyboard_layout", t, day)
		if p.dev.mac {
			b = append(b, `"snapshot":[`...)
			for i, l := range p.keyboard {
				if i > 0 {
					b = append(b, ',')
				}
				sub := itoa(int64(i)) + "/KeyboardLayout Name"
				if len(l) > 21 && l[:21] == "com.apple.inputmethod" {
					sub = itoa(int64(i)) + "/Input Mode"
				}
				b = append(b, `{"domain":"com.apple.HIToolbox","forced":"0","key":"AppleSelectedInputSources","subkey":`...)
				b = appendStr(b, sub)
				b = append(b, `,"username":`...)
				b = appendStr(b, slug(p.given)[:1]+slug(p.family))
				b = append(b, `,"value":`...)
				b = appendStr(b, l)
				b = append(b, '}')
			}
			b = append(b, "],\"action\":\"snapshot\"}\n"...)
		} else {
			b = append(b, `"snapshot":[`...)
			for i, l := range p.keyboard {
				if i > 0 {
					b = append(b, ',')
				}
				klid := windowsKLID[l]
				if klid == "" {
					klid = "00000409"
				}
				key := `HKEY_USERS\S-1-5-21-1004336348-1177238915-682003330-1001\Keyboard Layout\Preload`
				b = append(b, `{"data":`...)
				b = appendStr(b, klid)
				b = append(b, `,"key":`...)
				b = appendStr(b, key)
				b = append(b, `,"mtime":"1767225600","name":`...)
				b = appendStr(b, itoa(int64(i+1)))
				b = append(b, `,"path":`...)
				b = appendStr(b, key+`\`+itoa(int64(i+1)))
				b = append(b, `,"type":"REG_SZ"}`...)
			}
			b = append(b, "],\"action\":\"snapshot\"}\n"...)
		}
		add(t, b, len(p.keyboard))
	}
	// Processes started during the day (differential results).
	wd := mid.Weekday()
	if wd != time.Saturday && wd != time.Sunday {
		if r.chance(0.35) {
			a := commonApps[r.intn(len(commonApps))]
			t := at()
			add(t, o.procLine(env(nil, "pack_processes_started", t, day*8+1), p, a, "", &r), 1)
		}
		var rmm []app
		if p.covert != nil {
			rmm = p.covert.rmm
		}
		rmm = append(rmm, p.extraApps...)
		for k, a := range rmm {
			if first || r.chance(0.45) {
				t := at()
				cmd := ""
				if first && a.name == rmmCRD.name {
					// Unattended Chrome Remote Desktop set up with a fixed PIN
					// (INDICATORS.md F3).
					cmd = `"C:\Program Files (x86)\Google\Chrome Remote Desktop\CurrentVersion\remoting_start_host.exe" --code="4/0Ab` + r.chars(base62, 40) + `" --redirect-url="https://remotedesktop.google.com/_/oauthredirect" --name=` + p.dev.host + ` --pin=` + r.digits(6)
				}
				add(t, o.procLine(env(nil, "pack_processes_started", t, day*8+2+k), p, a, cmd, &r), 1)
			}
		}
		if c := p.covert; c != nil && c.kvm != nil && !first && r.chance(0.08) {
			t := at()
			add(t, o.usbLine(env(nil, "pack_it-hardware_usb_devices", t, day*8+7), *c.kvm, 3), 1)
		}
	}
	return pending
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func (o *org) usbLine(b []byte, u usbDev, port int) []byte {
	b = append(b, `"columns":{`...)
	b = appendKV(b, "class", u.class)
	b = appendKV(b, "model", u.model)
	b = appendKV(b, "model_id", u.modelID)
	b = appendKV(b, "protocol", "0")
	b = appendKV(b, "removable", "1")
	b = appendKV(b, "serial", u.serial)
	b = appendKV(b, "subclass", "0")
	b = appendKV(b, "type", "")
	b = appendKV(b, "usb_address", itoa(int64(port+2)))
	b = appendKV(b, "usb_port", itoa(int64(port+1)))
	b = appendKV(b, "vendor", u.vendor)
	b = appendKV(b, "vendor_id", u.vendorID)
	b = append(b, `"version":`...)
	b = appendStr(b, u.version)
	return append(b, "},\"action\":\"added\"}\n"...)
}

func (o *org) procLine(b []byte, p *person, a app, cmd string, r *rng) []byte {
	name, path := a.proc, a.macPath+"/Contents/MacOS/"+a.proc
	if cmd == "" {
		cmd = path
		if a.cmdMac != "" {
			cmd = a.cmdMac
		}
	}
	if !p.dev.mac {
		name, path = a.procWin, a.winPath+a.procWin
		if cmd == a.cmdMac || cmd == a.macPath+"/Contents/MacOS/"+a.proc {
			cmd = `"` + path + `"`
			if a.cmdWin != "" {
				cmd = a.cmdWin
			}
		}
	}
	if len(cmd) > 0 && cmd[0] == '"' && p.dev.mac && a.name == rmmCRD.name {
		// The PIN set-up line is a Windows command; on a Mac the helper runs.
		cmd = a.cmdMac
	}
	b = append(b, `"columns":{`...)
	b = appendKV(b, "cmdline", cmd)
	b = appendKV(b, "name", name)
	b = appendKV(b, "parent", itoa(int64(r.between(1, 900))))
	b = appendKV(b, "path", path)
	b = append(b, `"pid":`...)
	b = appendStr(b, itoa(int64(r.between(1000, 60000))))
	return append(b, "},\"action\":\"added\"}\n"...)
}
