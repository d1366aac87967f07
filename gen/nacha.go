package gen

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The company's ACH origination details: the originating bank is Wells
// Fargo (routing 091000019), the company id "1" and a made-up EIN.
const (
	achODFI      = "09100001"
	achDest      = " 091000019"
	achOrigin    = "1462718354"
	achCompany   = "ACME WIDGETS INC"
	achBankName  = "WELLS FARGO BANK"
	achCompanyID = "1462718354"
)

// nachaWriter writes one NACHA file, keeping the counts its control
// records need.
type nachaWriter struct {
	out      *output
	records  int
	batches  int
	entries  int
	hash     int64
	credit   int64
	bEntries int
	bHash    int64
	bCredit  int64
	batchNo  int
	trace    int
	class    string
}

func pad(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat(" ", n-len(s))
}

func (w *nachaWriter) line(s string) {
	if len(s) != 94 {
		panic(fmt.Sprintf("gen: NACHA record of %d characters: %q", len(s), s))
	}
	w.out.WriteString(s)
	w.out.WriteByte('\n')
	w.records++
}

func (w *nachaWriter) batch(sec, desc string, date time.Time) {
	w.batchNo++
	w.trace = 0
	w.bEntries, w.bHash, w.bCredit = 0, 0, 0
	w.class = "220"
	w.line("5" + w.class + pad(achCompany, 16) + pad("", 20) + achCompanyID + sec + pad(desc, 10) +
		pad(strings.ToUpper(date.Format("Jan 02")), 6) + date.Format("060102") + "   " + "1" + achODFI + fmt.Sprintf("%07d", w.batchNo))
}

func (w *nachaWriter) entry(routing, account string, savings bool, cents int64, id, name string) {
	code := "22"
	if savings {
		code = "32"
	}
	w.trace++
	rdfi, _ := strconv.ParseInt(routing[:8], 10, 64)
	w.bEntries++
	w.bHash += rdfi
	w.bCredit += cents
	w.line("6" + code + routing[:8] + routing[8:9] + pad(account, 17) + fmt.Sprintf("%010d", cents) + pad(id, 15) +
		pad(asciiUpper(name), 22) + "  " + "0" + achODFI + fmt.Sprintf("%07d", w.trace))
}

func (w *nachaWriter) endBatch() {
	w.line("8" + w.class + fmt.Sprintf("%06d%010d%012d%012d", w.bEntries, w.bHash%1e10, 0, w.bCredit) + achCompanyID +
		pad("", 19) + pad("", 6) + achODFI + fmt.Sprintf("%07d", w.batchNo))
	w.batches++
	w.entries += w.bEntries
	w.hash += w.bHash
	w.credit += w.bCredit
}

func (w *nachaWriter) end() {
	blocks := (w.records + 1 + 9) / 10
	w.line("9" + fmt.Sprintf("%06d%06d%08d%010d%012d%012d", w.batches, blocks, w.entries, w.hash%1e10, 0, w.credit) + pad("", 39))
	for w.records%10 != 0 {
		w.line(strings.Repeat("9", 94))
	}
}

// writeNACHA writes one ACH file per pay date: a PPD batch paying the US
// employees by direct deposit and, at month end, a CCD batch paying the
// US vendors.
func (o *org) writeNACHA(ctx context.Context, dir string, cnt *counter) ([]string, error) {
	var names []string
	for fileNo, d := range o.payDates() {
		if err := ctx.Err(); err != nil {
			return names, err
		}
		name := "nacha-" + d.Format(time.DateOnly) + ".ach"
		out, err := o.create(dir, name, cnt)
		if err != nil {
			return names, err
		}
		w := &nachaWriter{out: out}
		created := d.AddDate(0, 0, -2)
		w.line("101" + achDest + achOrigin + created.Format("060102") + fmt.Sprintf("%02d%02d", 9+fileNo%8, (fileNo*7)%60) + "A094101" +
			pad(achBankName, 23) + pad(achCompany, 23) + pad("PAY"+d.Format("0102"), 8))
		w.batch("PPD", "PAYROLL", d)
		for _, p := range o.people[:o.workers] {
			if !p.paidOn(d) || p.contractor {
				continue
			}
			a := p.accountAt(d)
			if a.routing == "" || a.method != "Direct Deposit" {
				continue
			}
			amt, _ := o.netPay(p, d)
			w.entry(a.routing, a.account, a.savings, amt, p.empID, p.fullName())
			cnt.events.Add(1)
		}
		w.endBatch()
		if monthEnd(d) {
			w.batch("CCD", "VENDOR PMT", d)
			for _, v := range o.vendors {
				if v.sanction || v.pay.routing == "" {
					continue
				}
				r := newRNG(uint64(o.cfg.Seed), streamVendor, uint64(d.Unix()), uint64(len(v.id)), uint64(v.monthly))
				w.entry(v.pay.routing, v.pay.account, false, v.monthly+int64(r.between(-900_00, 900_00)), v.id, v.name)
				cnt.events.Add(1)
			}
			w.endBatch()
		}
		w.end()
		if err := out.close(); err != nil {
			return names, err
		}
		names = append(names, name)
	}
	return names, nil
}
