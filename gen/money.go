package gen

import (
	"context"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"time"
)

// payDates returns the semi-monthly pay dates of the period (the 15th and
// the last day of each month, moved back to a Friday at weekends).
func (o *org) payDates() []time.Time {
	var out []time.Time
	for m := o.start; m.Before(o.end); m = m.AddDate(0, 1, 0) {
		first := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC)
		for _, d := range []time.Time{first.AddDate(0, 0, 14), first.AddDate(0, 1, -1)} {
			for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
				d = d.AddDate(0, 0, -1)
			}
			if !d.Before(o.start) && d.Before(o.end) {
				out = append(out, d)
			}
		}
	}
	return out
}

func monthEnd(d time.Time) bool {
	return d.AddDate(0, 0, 4).Month() != d.Month()
}

// paidOn reports whether p is paid on pay date d: employees every pay
// date, contractors at month end.
func (p *person) paidOn(d time.Time) bool {
	if !p.hired || d.Before(p.hire.AddDate(0, 0, 7)) || (!p.end.IsZero() && !d.Before(p.end.AddDate(0, 0, 14))) {
		return false
	}
	return !p.contractor || monthEnd(d)
}

// netPay returns the net amount of one pay in minor units and currency.
func (o *org) netPay(p *person, d time.Time) (int64, string) {
	r := newRNG(uint64(o.cfg.Seed), streamPay, uint64(p.idx))
	base := int64(r.between(3_200_00, 7_900_00))
	cur := "USD"
	if p.contractor {
		base = int64(r.between(3_000_00, 11_000_00))
		switch p.pay.method {
		case "SEPA":
			cur = "EUR"
		case "International Wire":
			cur = "GBP"
		}
	}
	jr := newRNG(uint64(o.cfg.Seed), streamPay, uint64(p.idx), uint64(d.Unix()))
	return base + int64(jr.between(-40_00, 40_00)), cur
}

func money(minor int64) string { return fmt.Sprintf("%d.%02d", minor/100, minor%100) }

func (o *org) writePayroll(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "payroll-payments.csv"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(out)
	w.Write([]string{"Payment ID", "Associate ID", "Employee Name", "Work Email", "Check Date", "Net Pay", "Currency",
		"Payment Method", "Account Holder", "Routing Number", "Account Number", "IBAN", "Bank Name"})
	for _, d := range o.payDates() {
		if err := ctx.Err(); err != nil {
			out.close()
			return nil, err
		}
		n := 0
		for _, p := range o.people[:o.workers] {
			if !p.paidOn(d) {
				continue
			}
			n++
			a := p.accountAt(d)
			amt, cur := o.netPay(p, d)
			empName := p.fullName()
			if p.idx%3 == 0 {
				empName = p.family + ", " + p.given
			}
			bank := a.bank
			if a.provider != "" {
				bank = strings.ToUpper(a.provider[:1]) + a.provider[1:]
			}
			w.Write([]string{fmt.Sprintf("PR-%s-%06d", d.Format(time.DateOnly), n), p.empID, empName, p.login,
				d.Format("01/02/2006"), money(amt), cur, a.method, a.holder, a.routing, a.account, a.iban, bank})
			cnt.events.Add(1)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		out.close()
		return nil, err
	}
	return []string{name}, out.close()
}

func (o *org) writeBankChanges(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "payroll-bank-changes.csv"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	var changed []*person
	for _, p := range o.people[:o.workers] {
		if p.change != nil && p.change.at.Before(o.end) {
			changed = append(changed, p)
		}
	}
	sort.SliceStable(changed, func(i, j int) bool { return changed[i].change.at.Before(changed[j].change.at) })
	w := csv.NewWriter(out)
	w.Write([]string{"Change ID", "Employee ID", "Worker Email", "Changed At", "Changed By", "Old Routing Number", "Old Account Number",
		"Old IBAN", "New Routing Number", "New Account Number", "New IBAN", "New Account Holder", "New Bank Name", "IP Address"})
	for k, p := range changed {
		c, old := p.change, p.pay
		newBank := c.to.bank
		if c.to.provider != "" {
			newBank = strings.ToUpper(c.to.provider[:1]) + c.to.provider[1:]
		}
		w.Write([]string{fmt.Sprintf("CHG-%07d", 1000+k), p.empID, p.login, c.at.UTC().Format(time.RFC3339), c.by,
			old.routing, old.account, old.iban, c.to.routing, c.to.account, c.to.iban, c.to.holder, newBank, ipString(c.fromIP)})
		cnt.events.Add(1)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		out.close()
		return nil, err
	}
	return []string{name}, out.close()
}

// writeVendorPayments writes the accounts-payable export: each vendor paid
// at month end, the sanctioned front company by international wire.
func (o *org) writeVendorPayments(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	const name = "ap-vendor-payments.csv"
	out, err := o.create(dir, name, cnt)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(out)
	w.Write([]string{"Payment ID", "Payee ID", "Vendor Name", "Payment Date", "Amount", "Currency", "Payment Method",
		"Beneficiary Name", "Routing Number", "Account Number", "SWIFT Code", "Bank Name"})
	n := 0
	for _, d := range o.payDates() {
		if !monthEnd(d) {
			continue
		}
		for _, v := range o.vendors {
			n++
			method, routing, swift, bank := "ACH", v.pay.routing, "", v.pay.bank
			if v.sanction {
				method, routing, swift, bank = "International Wire", "", v.pay.bank, ""
			}
			r := newRNG(uint64(o.cfg.Seed), streamVendor, uint64(n))
			amt := v.monthly + int64(r.between(-5000_00, 5000_00))
			w.Write([]string{fmt.Sprintf("AP-%06d", 500000+n), v.id, v.name, d.Format(time.DateOnly), money(amt), "USD", method,
				v.pay.holder, routing, v.pay.account, swift, bank})
			cnt.events.Add(1)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		out.close()
		return nil, err
	}
	return []string{name}, out.close()
}
