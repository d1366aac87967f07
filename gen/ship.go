package gen

import (
	"context"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"time"
)

type shipRow struct {
	t   time.Time
	row []string
}

// variantStreet writes a street line the way another person would type
// it: suffixes and directions spelt out or abbreviated, or all in capitals.
// The normalised address stays the same.
func variantStreet(s string, r *rng) string {
	for _, suf := range streetSuffixes {
		if strings.HasSuffix(s, " "+suf[0]) && r.chance(0.5) {
			s = strings.TrimSuffix(s, suf[0]) + suf[1] + pick(r, []string{"", "."})
		} else if strings.HasSuffix(s, " "+suf[1]) && r.chance(0.5) {
			s = strings.TrimSuffix(s, suf[1]) + suf[0]
		}
	}
	for _, d := range [][2]string{{" North ", " N "}, {" South ", " S "}} {
		if strings.Contains(s, d[0]) && r.chance(0.5) {
			s = strings.Replace(s, d[0], d[1], 1)
		} else if strings.Contains(s, d[1]) && r.chance(0.5) {
			s = strings.Replace(s, d[1], d[0], 1)
		}
	}
	if r.chance(0.25) {
		s = strings.ToUpper(s)
	}
	return s
}

func tracking(r *rng, carrier string) string {
	switch carrier {
	case "UPS":
		return "1Z " + r.chars(alnumUpper, 3) + " " + r.chars(alnumUpper, 3) + " 03 " + r.digits(4) + " " + r.digits(4)
	case "FedEx":
		return r.digits(4) + " " + r.digits(4) + " " + r.digits(4)
	}
	return r.digits(10)
}

func (o *org) writeShipping(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "shipping-equipment.csv"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	var rows []shipRow
	n := 0
	add := func(p *person, t time.Time, asset, serial, model, street, unit, cityName, region, postal, cc string, r *rng) {
		n++
		carrier := "UPS"
		switch {
		case cc != "US":
			carrier = "DHL Express"
		case r.chance(0.4):
			carrier = "FedEx"
		}
		status := "Delivered"
		if t.After(o.end.AddDate(0, 0, -3)) {
			status = "In Transit"
		}
		rows = append(rows, shipRow{t: t, row: []string{fmt.Sprintf("SHP-%07d", 100000+n), asset, serial, model, p.empID, p.login,
			strings.TrimSuffix(p.login, "@"+companyDomain), t.Format(time.DateOnly), carrier, tracking(r, carrier), p.fullName(),
			street, unit, cityName, region, postal, cc, status}})
	}
	for _, p := range o.people[:o.workers] {
		if !p.hired || !p.hire.Before(o.end) {
			continue
		}
		r := newRNG(uint64(o.cfg.Seed), streamShip, uint64(p.idx))
		t := p.hire.AddDate(0, 0, -r.between(4, 10))
		model := p.dev.model
		if p.dev.mac {
			model = "MacBook Pro (" + p.dev.model + ")"
		}
		street, unit, c, region, postal := p.street, p.unit, p.city.name, p.city.region, p.postal
		if p.country.code != "US" {
			region = p.city.regionName
		}
		if cv := p.covert; cv != nil && cv.farm {
			site := o.networks[cv.network].farm
			street, unit, c, region, postal = variantStreet(site.street, &r), "", site.city, site.region, site.postal
		} else if p.move != nil && !p.move.at.After(t) {
			street, unit, c, postal = p.move.street, p.move.unit, p.move.city.name, p.move.postal
		}
		add(p, t, p.dev.assetTag, p.dev.serial, model, street, unit, c, region, postal, p.country.code, &r)
		if p.move != nil && p.move.at.After(t) && p.move.at.Before(o.end) {
			mt := p.move.at.AddDate(0, 0, r.between(2, 10))
			if mt.Before(o.end) {
				add(p, mt, fmt.Sprintf("ACME-MN-%06d", p.idx), "CN0"+r.chars(alnumUpper, 17), "Dell U2723QE Monitor",
					p.move.street, p.move.unit, p.move.city.name, region, p.move.postal, p.country.code, &r)
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].t.Before(rows[j].t) })
	w := csv.NewWriter(out)
	w.Write([]string{"Shipment ID", "Asset Tag", "Serial Number", "Model", "Employee ID", "Employee Email", "Username", "Ship Date",
		"Carrier", "Tracking Number", "Recipient Name", "Address Line 1", "Address Line 2", "City", "State", "Zip Code", "Country", "Status"})
	for i, s := range rows {
		if i%4096 == 0 && ctx.Err() != nil {
			out.close()
			return nil, ctx.Err()
		}
		w.Write(s.row)
		cnt.events.Add(1)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		out.close()
		return nil, err
	}
	return []string{name}, out.close()
}
