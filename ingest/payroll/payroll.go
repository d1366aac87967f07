// Package payroll reads payroll exports as CSV: pay runs (one row per
// payment to a worker) and bank-detail changes (one row per change of a
// worker's deposit account), and turns them into payment and
// payroll_change events.
//
// There is no standard payroll CSV. The format read here is header-driven:
// the first row names the columns, and each name is matched, after folding
// case, spaces, dashes and camelCase to snake_case, against the aliases the
// common systems print in their pay-register, direct-deposit and audit
// reports (ADP "Associate ID"/"File Number", Gusto and Rippling "Employee
// ID", Deel "Payment Method", Workday "Effective Date", Wise and Payoneer
// payout exports "Account Holder"). The aliases are listed in aliases below
// and in docs (notes/formats-payroll.md). Columns that match no alias are
// kept in Raw and in the row hash, and otherwise ignored.
//
// Record kind: a "record_type" column (values pay/payment/pay_run or
// bank_change/payroll_change/direct_deposit_change) decides per row;
// without one, a header with old_/new_ account columns or a change-time
// column is a bank-change export, and a header with an amount column is a
// pay run.
//
// Mapping, pay run → payment event: PayeeName is the account holder column
// (never the employee's name: comparing the two is a detector's job);
// AccountDigest is the keyed digest of routing+account, of the IBAN, or of
// provider+account for a money service without a routing number; Routing is
// the routing number (or BIC); AmountMinor is the amount in the currency's
// minor unit; Rail comes from payment_method (direct deposit/ACH → ach,
// wire, SEPA, SWIFT, paycard → card, check, crypto; money services such as
// Wise, Payoneer, PayPal → other, with "method": "money_service" and
// "provider" in Raw). Bank change → payroll_change event with the old and
// new account digests, the new routing number and the new holder name.
// A crypto payment whose currency is an asset ticker (USDT, BTC, ...) has
// an empty Currency, AmountMinor in 1e-8 units of the asset, and "asset"
// in Raw. Actor: the worker's e-mail, the account digests and a crypto wallet
// address. The employee id is the payroll system's own id of the worker:
// it is kept in Raw ("columns") for resolution through a subject's
// SourceRef, not as an identifier.
//
// SourceEventID: "[namespace/]<kind>:<id>" from an explicit id column, else
// "[namespace/]<kind>:row:<hash>", a SHA-256 of the normalised row (column
// names folded, values trimmed, account and government numbers replaced by
// their keyed digests), so the same row exported again is absorbed.
//
// Account numbers, IBANs and government numbers (SSN, tax id, passport) are
// never kept: their columns read "[redacted]" in Raw.
package payroll

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/csvtable"
)

// Config holds the settings that change how values are read.
type Config struct {
	// DayFirst reads slashed dates as day/month/year (UK and EU exports);
	// the default is month/day/year, as US payroll systems write them.
	DayFirst bool
	// Namespace prefixes every SourceEventID ("adp", "gusto"), so the ids
	// of two payroll systems loaded under the one payroll source never
	// collide.
	Namespace string
}

// Parser reads payroll and bank-change CSV exports.
type Parser struct{ cfg Config }

var _ ingest.Parser = (*Parser)(nil)

// New returns a payroll CSV parser.
func New(cfg Config) *Parser { return &Parser{cfg: cfg} }

// Source returns molehunt.SourcePayroll.
func (*Parser) Source() molehunt.Source { return molehunt.SourcePayroll }

// The record kinds.
const (
	kindPayment = "payment"
	kindChange  = "bank_change"
)

// aliases maps each field this reader understands to the folded column
// names that mean it. The "new_" columns of a change export are the
// unprefixed fields.
var aliases = map[string][]string{
	"record_type":    {"record_type", "type", "record_kind", "kind", "event_type"},
	"id":             {"id", "record_id", "transaction_id", "payment_id", "change_id", "event_id", "audit_id", "line_id", "reference_id", "payout_id"},
	"employee_id":    {"employee_id", "employee_number", "employee_no", "emp_id", "empid", "emp_no", "worker_id", "associate_id", "file_number", "person_id", "person_number", "payee_id", "contractor_id"},
	"email":          {"email", "worker_email", "employee_email", "work_email", "email_address", "personal_email", "contractor_email"},
	"name":           {"name", "employee_name", "worker_name", "full_name", "legal_name", "employee", "contractor_name"},
	"first_name":     {"first_name", "given_name", "firstname"},
	"last_name":      {"last_name", "family_name", "surname", "lastname"},
	"pay_date":       {"pay_date", "check_date", "payment_date", "paid_on", "paid_date", "pay_day", "payday", "date", "value_date", "settlement_date", "payout_date"},
	"amount":         {"amount", "net_pay", "net_amount", "payment_amount", "deposit_amount", "net", "amount_paid", "pay_amount", "payout_amount"},
	"currency":       {"currency", "currency_code", "ccy"},
	"payee_name":     {"payee_name", "account_holder", "account_holder_name", "account_name", "beneficiary_name", "beneficiary", "name_on_account", "holder_name", "new_account_holder", "new_account_holder_name", "new_payee_name", "new_holder_name"},
	"routing":        {"routing_number", "routing", "aba", "aba_number", "aba_routing_number", "transit_number", "bank_routing_number", "routing_transit_number", "rtn", "sort_code", "bsb", "new_routing_number", "new_routing", "new_aba"},
	"account":        {"account_number", "account", "bank_account_number", "bank_account", "account_no", "acct_number", "acct_no", "new_account_number", "new_account", "new_bank_account_number"},
	"iban":           {"iban", "new_iban"},
	"bic":            {"bic", "swift", "swift_code", "bic_swift", "swift_bic", "new_bic"},
	"bank_name":      {"bank_name", "bank", "institution", "institution_name", "new_bank_name"},
	"payment_method": {"payment_method", "pay_method", "payment_type", "deposit_type", "method", "payout_method", "payment_rail"},
	"wallet":         {"wallet", "wallet_address", "crypto_address", "crypto_wallet"},
	"change_time":    {"change_time", "changed_at", "change_date", "change_timestamp", "effective_date", "effective_time", "modified_at", "updated_at", "timestamp"},
	"old_routing":    {"old_routing_number", "old_routing", "old_aba", "previous_routing_number", "prior_routing_number"},
	"old_account":    {"old_account_number", "old_account", "previous_account_number", "prior_account_number", "old_bank_account_number"},
	"old_iban":       {"old_iban", "previous_iban", "prior_iban"},
	"old_holder":     {"old_account_holder", "old_account_holder_name", "previous_account_holder", "old_payee_name"},
	"changed_by":     {"changed_by", "modified_by", "updated_by", "changed_by_user"},
}

var aliasField = func() map[string]string {
	m := map[string]string{}
	for f, names := range aliases {
		for _, n := range names {
			m[n] = f
		}
	}
	return m
}()

// sensitive reports whether a folded column name holds a number that must
// never be kept: bank accounts, IBANs, cards and government ids.
func sensitive(norm string) bool {
	switch aliasField[norm] {
	case "account", "old_account", "iban", "old_iban":
		return true
	}
	for _, w := range []string{"account_number", "account_no", "acct", "iban", "ssn", "social_security", "tax_id", "taxpayer", "national_id", "passport", "itin", "card_number"} {
		if strings.Contains(norm, w) {
			return true
		}
	}
	switch norm {
	case "tin", "sin", "nino", "pan":
		return true
	}
	return false
}

// header is the column layout of one file.
type header struct {
	names []string       // as written
	norm  []string       // folded
	col   map[string]int // field → column
	kind  string         // kindPayment, kindChange, or "" when a record_type column decides
}

func readHeader(names []string) (*header, string, error) {
	h := &header{names: append([]string(nil), names...), col: map[string]int{}}
	for i, n := range names {
		nn := csvtable.NormHeader(n)
		h.norm = append(h.norm, nn)
		f, ok := aliasField[nn]
		if !ok {
			continue
		}
		if j, dup := h.col[f]; dup {
			return nil, n, fmt.Errorf("column %q means %s, as column %q already does", n, f, names[j])
		}
		h.col[f] = i
	}
	_, typed := h.col["record_type"]
	change := false
	for _, f := range []string{"old_routing", "old_account", "old_iban", "old_holder", "changed_by"} {
		if _, ok := h.col[f]; ok {
			change = true
		}
	}
	for _, nn := range h.norm {
		if strings.HasPrefix(nn, "new_") || strings.HasPrefix(nn, "change_") || nn == "changed_at" {
			change = true
		}
	}
	_, amount := h.col["amount"]
	switch {
	case typed:
	case change:
		h.kind = kindChange
	case amount:
		h.kind = kindPayment
	default:
		return nil, "", errors.New("cannot tell pay runs from bank changes: want a record_type column, an amount column, or old_/new_ account columns")
	}
	return h, "", nil
}

// row is one data row under its header.
type row struct {
	h      *header
	fields []string
	line   int
}

func (r row) get(f string) string {
	i, ok := r.h.col[f]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// column returns the header name of field f as written, for rejects.
func (r row) column(f string) string {
	if i, ok := r.h.col[f]; ok {
		return r.h.names[i]
	}
	return f
}

// Parse reads one CSV export from r and emits an event per data row, or a
// reject naming the line and column. It needs opts.Digest (or
// opts.Canon.Digester) for the account digests.
func (p *Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	d := opts.Digest
	if d == nil && opts.Canon != nil {
		d = opts.Canon.Digester
	}
	if d == nil {
		return &molehunt.Error{Code: molehunt.EInvalid, Op: "payroll.Parse", Message: "no digest key: account numbers cannot be read without one"}
	}
	canon := opts.Canon
	if canon == nil {
		canon = &ident.Canonicalizer{Digester: d, DefaultRegion: opts.DefaultRegion}
	}
	reject := func(line int, field string, err error) error {
		return emit(ingest.Record{Reject: &molehunt.Reject{
			Source: molehunt.SourcePayroll, File: opts.File, Record: fmt.Sprintf("line %d", line), Field: field, Reason: err.Error(),
		}})
	}
	cr := csvtable.NewReader(r)
	var h *header
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
			// ParseError.Column counts bytes, not fields: it goes in the reason.
			if err := reject(pe.StartLine, "", fmt.Errorf("%w (line %d, byte %d)", pe.Err, pe.Line, pe.Column)); err != nil {
				return err
			}
			if h == nil {
				return nil // no header, nothing can be read
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("payroll: read %s: %w", opts.File, err)
		}
		line, _ := cr.FieldPos(0)
		if h == nil {
			var col string
			h, col, err = readHeader(fields)
			if err != nil {
				// Without a header the rows mean nothing: one reject, stop.
				return reject(line, col, err)
			}
			continue
		}
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue // blank line
		}
		rw := row{h: h, fields: fields, line: line}
		if len(fields) != len(h.names) {
			if err := reject(line, "", fmt.Errorf("%d fields; the header has %d", len(fields), len(h.names))); err != nil {
				return err
			}
			continue
		}
		ev, field, err := p.event(rw, d, canon)
		if err != nil {
			if err := reject(line, field, err); err != nil {
				return err
			}
			continue
		}
		if err := ev.Validate(); err != nil {
			rj := molehunt.RejectOf(molehunt.SourcePayroll, opts.File, err)
			rj.Record = fmt.Sprintf("line %d", line)
			if err := emit(ingest.Record{Reject: &rj}); err != nil {
				return err
			}
			continue
		}
		if err := emit(ingest.Record{Event: ev}); err != nil {
			return err
		}
	}
}

// rawRow is the Raw payload of an event.
type rawRow struct {
	Format   string            `json:"format"`
	Line     int               `json:"line"`
	Kind     string            `json:"kind"`
	Method   string            `json:"method,omitempty"`
	Provider string            `json:"provider,omitempty"`
	Asset    string            `json:"asset,omitempty"` // crypto asset of a crypto payment (amount in 1e-8 units)
	Columns  map[string]string `json:"columns"`
}

func (p *Parser) event(r row, d *ident.Digester, canon *ident.Canonicalizer) (*molehunt.Event, string, error) {
	kind := r.h.kind
	if kind == "" {
		k, ok := recordKind(r.get("record_type"))
		if !ok {
			return nil, r.column("record_type"), fmt.Errorf("record type %q: want payment or bank_change", r.get("record_type"))
		}
		kind = k
	}
	method, provider, rail := classifyMethod(r.get("payment_method"), r.get("bank_name"))
	if method == "" {
		switch {
		case r.get("wallet") != "":
			method, rail = "crypto", molehunt.RailCrypto
		case r.get("routing") != "" && r.get("account") != "":
			method, rail = "direct_deposit", molehunt.RailACH
		}
	}
	ev := &molehunt.Event{Source: molehunt.SourcePayroll}
	extra := map[string]string{}
	if v := r.get("email"); v != "" {
		id, err := canon.Identifier(molehunt.IDEmail, v)
		if err != nil {
			return nil, r.column("email"), err
		}
		ev.Actor = append(ev.Actor, id)
	}
	namespace := provider
	if rail == molehunt.RailCrypto {
		namespace = ""
	}
	newDigest, field, err := accountDigest(d, r, "routing", "account", "iban", namespace)
	if err != nil {
		return nil, field, err
	}
	digests := map[string]string{}
	if newDigest != "" {
		digests["account"] = newDigest
		ev.Actor = append(ev.Actor, molehunt.Identifier{Kind: molehunt.IDBankAccount, Value: newDigest})
	}
	if v := r.get("wallet"); v != "" {
		w, err := canon.Identifier(molehunt.IDWallet, v)
		if err != nil {
			return nil, r.column("wallet"), err
		}
		ev.Actor = append(ev.Actor, w)
	}
	routing := r.get("routing")
	if routing == "" {
		routing = strings.ToUpper(r.get("bic"))
	}
	switch kind {
	case kindPayment:
		ev.Kind = molehunt.EventPayment
		when := r.get("pay_date")
		col := r.column("pay_date")
		if when == "" {
			when, col = r.get("change_time"), r.column("change_time")
		}
		if when == "" {
			return nil, r.column("pay_date"), errors.New("no pay date")
		}
		t, err := csvtable.ParseTime(when, p.cfg.DayFirst)
		if err != nil {
			return nil, col, err
		}
		ev.Time = t
		cur := strings.ToUpper(r.get("currency"))
		asset := ""
		if cryptoTickers[cur] || (cur != "" && !isCurrency(cur)) {
			if rail != molehunt.RailCrypto || !isAsset(cur) {
				return nil, r.column("currency"), fmt.Errorf("%q is not an ISO 4217 code", r.get("currency"))
			}
			// A crypto asset: no ISO code, amount in 1e-8 units.
			asset, cur = cur, ""
		}
		if r.get("amount") == "" {
			return nil, r.column("amount"), errors.New("no amount")
		}
		digits := minorDigits(cur)
		if asset != "" {
			digits = 8
		}
		minor, err := parseAmount(r.get("amount"), strings.ToUpper(r.get("currency")), digits)
		if err != nil {
			return nil, r.column("amount"), err
		}
		extra["asset"] = asset
		ev.Payment = &molehunt.PaymentDetail{
			PayeeName: collapse(r.get("payee_name")), AccountDigest: newDigest, Routing: routing,
			AmountMinor: minor, Currency: cur, Rail: rail,
		}
	case kindChange:
		ev.Kind = molehunt.EventPayrollChange
		when := r.get("change_time")
		if when == "" {
			return nil, r.column("change_time"), errors.New("no change time")
		}
		t, err := csvtable.ParseTime(when, p.cfg.DayFirst)
		if err != nil {
			return nil, r.column("change_time"), err
		}
		ev.Time = t
		oldDigest, field, err := accountDigest(d, r, "old_routing", "old_account", "old_iban", "")
		if err != nil {
			return nil, field, err
		}
		if oldDigest == "" && newDigest == "" && r.get("wallet") == "" {
			return nil, r.column("account"), errors.New("neither an old nor a new account")
		}
		if oldDigest != "" {
			digests["old_account"] = oldDigest
			ev.Actor = append(ev.Actor, molehunt.Identifier{Kind: molehunt.IDBankAccount, Value: oldDigest})
		}
		ev.PayrollChange = &molehunt.PayrollChangeDetail{
			OldAccountDigest: oldDigest, NewAccountDigest: newDigest,
			NewRouting: routing, HolderName: collapse(r.get("payee_name")),
		}
	}
	raw := rawRow{Format: "payroll-csv", Line: r.line, Kind: kind, Method: method, Provider: provider, Asset: extra["asset"], Columns: map[string]string{}}
	for i, name := range r.h.names {
		v := strings.TrimSpace(r.fields[i])
		if v != "" && sensitive(r.h.norm[i]) {
			v = "[redacted]"
		}
		raw.Columns[name] = v
	}
	ev.Raw, err = json.Marshal(raw)
	if err != nil {
		return nil, "", err
	}
	if id := r.get("id"); id != "" {
		ev.SourceEventID = p.prefix(kind) + id
	} else {
		ev.SourceEventID = p.prefix(kind) + "row:" + rowHash(r, d, digests)
	}
	return ev, "", nil
}

func (p *Parser) prefix(kind string) string {
	if p.cfg.Namespace != "" {
		return p.cfg.Namespace + "/" + kind + ":"
	}
	return kind + ":"
}

func recordKind(v string) (string, bool) {
	switch csvtable.NormHeader(v) {
	case "payment", "pay", "pay_run", "payrun", "paycheck", "pay_check", "deposit", "payout", "earnings":
		return kindPayment, true
	case "bank_change", "bank_account_change", "payroll_change", "direct_deposit_change", "account_change", "deposit_change", "change", "bank_details_change":
		return kindChange, true
	}
	return "", false
}

// accountDigest returns the digest of a row's routing+account or IBAN
// columns, "" when they are empty. namespace stands in for a missing
// routing number (a money service's name), so that equal account ids at
// two services stay apart.
func accountDigest(d *ident.Digester, r row, routingF, accountF, ibanF, namespace string) (string, string, error) {
	routing, account, iban := r.get(routingF), r.get(accountF), r.get(ibanF)
	switch {
	case account != "":
		if digits := onlyDigits(routing); len(digits) == 9 && !abaOK(digits) {
			return "", r.column(routingF), fmt.Errorf("routing number %q fails its check digit", routing)
		}
		if routing == "" {
			routing = namespace
		}
		v, err := d.BankAccount(routing, account)
		if err != nil {
			return "", r.column(accountF), err
		}
		return v, "", nil
	case iban != "":
		v, err := d.IBAN(iban)
		if err != nil {
			return "", r.column(ibanF), err
		}
		return v, "", nil
	case routing != "" && routingF == "old_routing":
		return "", r.column(accountF), errors.New("an old routing number without an old account number")
	}
	return "", "", nil
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else if c != ' ' && c != '-' {
			return ""
		}
	}
	return b.String()
}

func abaOK(r string) bool {
	w := [9]int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(r[i]-'0') * w[i]
	}
	return sum%10 == 0
}

// rowHash is the content hash of a row without an id: folded column names
// and trimmed values, sorted; sensitive values replaced by their keyed
// digests so the hash cannot be reversed by guessing account numbers.
func rowHash(r row, d *ident.Digester, digests map[string]string) string {
	pairs := make([]string, 0, len(r.fields))
	for i, nn := range r.h.norm {
		v := strings.TrimSpace(r.fields[i])
		if v == "" {
			continue // an empty column adds nothing to a row
		}
		if sensitive(nn) {
			if dg, ok := digests[aliasField[nn]]; ok {
				v = dg
			} else {
				v, _ = d.GovernmentID("", "column:"+nn, v)
			}
		}
		pairs = append(pairs, nn+"="+v)
	}
	sort.Strings(pairs)
	sum := sha256.Sum256([]byte(strings.Join(pairs, "\x00")))
	return hex.EncodeToString(sum[:16])
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// minorDigits is the number of decimals of a currency's minor unit
// (ISO 4217); 2 unless listed.
func minorDigits(cur string) int {
	switch cur {
	case "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF", "KMF", "GNF", "VUV", "XPF", "DJF", "BIF":
		return 0
	case "BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD":
		return 3
	}
	return 2
}

// parseAmount reads "1,234.56", "$1234.56", "(12.00)", "-12" into minor
// units. '.' is the decimal point and ',' a thousands separator; an amount
// with more decimals than the currency has is refused, not rounded.
func parseAmount(s, cur string, digits int) (int64, error) {
	orig := s
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		neg, s = !neg, s[1:]
	}
	s = strings.TrimLeft(s, "$€£¥₩ ")
	if cur != "" {
		s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(s, cur), cur))
	}
	s = strings.ReplaceAll(s, ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || (frac != "" && !allDigits(frac)) || len(whole) > 15 {
		return 0, fmt.Errorf("%q is not an amount", orig)
	}
	if len(frac) > digits {
		return 0, fmt.Errorf("%q has more than %d decimals", orig, digits)
	}
	frac += strings.Repeat("0", digits-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", orig)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// cryptoTickers are crypto assets whose tickers look like ISO 4217 codes.
var cryptoTickers = map[string]bool{
	"BTC": true, "XBT": true, "ETH": true, "SOL": true, "TRX": true, "XMR": true, "LTC": true,
	"BNB": true, "XRP": true, "ADA": true, "DAI": true, "TON": true,
}

// isAsset accepts a crypto asset ticker: 2 to 10 upper-case letters or digits.
func isAsset(s string) bool {
	if len(s) < 2 || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < 'A' || s[i] > 'Z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// moneyServices are payment platforms and money-service businesses, keyed
// by their folded name; advisories name Payoneer and Wise (TransferWise)
// among the rails IT workers are paid through.
var moneyServices = map[string]string{
	"wise": "wise", "transferwise": "wise", "payoneer": "payoneer", "paypal": "paypal",
	"remitly": "remitly", "westernunion": "western_union", "moneygram": "moneygram",
	"revolut": "revolut", "skrill": "skrill", "xoom": "xoom", "worldremit": "worldremit",
	"venmo": "venmo", "cashapp": "cash_app", "airwallex": "airwallex", "neteller": "neteller",
	"paysera": "paysera", "alipay": "alipay", "wechatpay": "wechat_pay", "ria": "ria",
	"moneyservice": "", "msb": "",
}

var cryptoWords = map[string]bool{
	"crypto": true, "cryptocurrency": true, "bitcoin": true, "btc": true, "eth": true, "ethereum": true,
	"usdt": true, "usdc": true, "tether": true, "stablecoin": true, "trc20": true, "erc20": true,
}

// classifyMethod maps a payment method (and, for a money service, the bank
// name) to a method class, a provider and a rail.
func classifyMethod(method, bank string) (class, provider string, rail molehunt.PaymentRail) {
	words := strings.Split(csvtable.NormHeader(method), "_")
	joined := strings.Join(words, "")
	for _, w := range append(words, joined) {
		if p, ok := moneyServices[w]; ok && w != "" {
			return "money_service", p, molehunt.RailOther
		}
	}
	for _, w := range words {
		if cryptoWords[w] {
			return "crypto", "", molehunt.RailCrypto
		}
	}
	if bankWords := strings.Split(csvtable.NormHeader(bank), "_"); bank != "" {
		for _, w := range append(bankWords, strings.Join(bankWords, "")) {
			if p, ok := moneyServices[w]; ok && p != "" {
				provider = p
			}
		}
	}
	switch joined {
	case "":
		if provider != "" {
			return "money_service", provider, molehunt.RailOther
		}
		return "", "", ""
	case "directdeposit", "dd", "ach", "eft", "banktransfer", "bank", "deposit", "directdebit":
		class, rail = "direct_deposit", molehunt.RailACH
	case "wire", "wiretransfer", "domesticwire":
		class, rail = "wire", molehunt.RailWire
	case "internationalwire", "swift", "swiftwire":
		class, rail = "wire", molehunt.RailSWIFT
	case "sepa", "sepatransfer", "sepacredittransfer":
		class, rail = "sepa", molehunt.RailSEPA
	case "paycard", "card", "debitcard", "prepaidcard", "payrollcard":
		class, rail = "paycard", molehunt.RailCard
	case "check", "cheque", "papercheck", "livecheck", "manualcheck":
		class, rail = "check", molehunt.RailCheck
	default:
		class, rail = "other", molehunt.RailOther
	}
	if provider != "" {
		// An ordinary method into an account held at a money service.
		class = "money_service"
	}
	return class, provider, rail
}
