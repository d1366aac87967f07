// Package nacha reads NACHA ACH files, the fixed-width format US payroll and
// accounts-payable systems hand to their bank, and turns each entry detail
// record into a payment event.
//
// It follows the record layouts of the Nacha Operating Rules, Appendix
// Three ("ACH Record Format Specifications"): 94-character records; the
// file header (type 1), the batch header (5) in its standard and its IAT
// form, entry details (6) in the standard (PPD, CCD, WEB, TEL, ...), CTX,
// CIE and IAT forms, addenda (7: type 05, the IAT addenda 10–18, returns 99
// and notifications of change 98), batch control (8), file control (9), and
// block padding lines of 9s. The reader was written from that layout, not
// from a library (the module proxy serves none we may use); the real files
// of moov-io/ach's test data check it.
//
// Validation, each failure a molehunt.Reject naming the line and field:
// record length (94; a file header may stop after the format code and a
// file control after its totals, as some generators trim blank fields),
// printable ASCII, record type order, numeric fields, the routing check
// digit of every entry, trace numbers ascending within a batch, and the
// batch and file controls: entry/addenda counts, entry hashes, debit and
// credit totals, batch count, block count, service class, company
// identification and batch number. A control mismatch is reported against
// the control record ("line 14: field entry_hash") and does not withdraw
// the entries already emitted: each entry is complete in itself, and the
// reject tells the operator the file is not the one its originator totalled.
//
// Mapping of an entry to a molehunt.Event of kind payment:
//   - PayeeName: the individual (or receiving company) name; for IAT, the
//     receiver's name from addendum 10.
//   - AccountDigest: ident.Digester.BankAccount(routing, account); the
//     account number is never kept: in Raw its field is overwritten with '*'.
//   - Routing: the receiving DFI's 8 digits and check digit.
//   - AmountMinor: cents, positive for a credit to the receiver (codes 21–24,
//     31–34, 41–44, 51–54) and negative for a debit (26–29, 36–39, 46–49,
//     55, 56). Prenotes (23, 28, 33, ...) are emitted with amount 0 and
//     "purpose": "prenote" in Raw: a prenote is how a new account is
//     announced before the first pay, which is what a bank-change detector
//     wants to see.
//   - Currency USD, Rail ach, Time the batch's effective entry date (UTC).
//   - SourceEventID: "<immediate origin>:<file creation date>:<file id
//     modifier>:<batch number>:<trace number>". The trace number alone is
//     unique only within a batch of one file (real files restart the
//     sequence in each batch and each file); the file's origin, date and
//     modifier are how the rules tell files apart, so a re-sent copy of one
//     file is absorbed and a new file is not.
//   - Actor: the account digest. The individual identification number is
//     the originator's own id of the receiver (an employee number in a
//     payroll file), not a login or an e-mail, so it is not an identifier
//     kind molehunt links on; it is kept in Raw ("individual_id") for
//     resolution through the subject's SourceRef of the payroll system.
//   - Raw: the file, batch and entry fields by name, the entry record and its
//     addenda records as received (account redacted).
package nacha

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
)

// maxRawAddenda bounds the addenda kept in one event's Raw (a CTX entry may
// carry 9,999); the count of those left out is recorded.
const maxRawAddenda = 100

// Parser reads NACHA ACH files.
type Parser struct{}

var _ ingest.Parser = (*Parser)(nil)

// New returns a NACHA parser.
func New() *Parser { return &Parser{} }

// Source returns molehunt.SourceNACHA.
func (*Parser) Source() molehunt.Source { return molehunt.SourceNACHA }

// Parse reads one NACHA file (or several concatenated ones) from r and emits
// a payment event per entry detail record, and rejects for bad records and
// control mismatches. It needs opts.Digest (or opts.Canon.Digester): bank
// account numbers are never kept in clear.
func (*Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	d := opts.Digest
	if d == nil && opts.Canon != nil {
		d = opts.Canon.Digester
	}
	if d == nil {
		return &molehunt.Error{Code: molehunt.EInvalid, Op: "nacha.Parse", Message: "no digest key: account numbers cannot be read without one"}
	}
	s := &state{file: opts.File, digest: d, emit: emit}
	rr := newRecordReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := rr.next()
		if errors.Is(err, io.EOF) {
			return s.finish(rr.line)
		}
		if err != nil {
			return fmt.Errorf("nacha: read %s: %w", opts.File, err)
		}
		if err := s.record(rr.line, rec, rr.tooLong); err != nil {
			return err
		}
	}
}

// fileHeader is what entries need from a type-1 record.
type fileHeader struct {
	line                                   int
	destination, origin, date, time, modID string
	destName, originName, reference        string
}

// batchHeader is what entries need from a type-5 record.
type batchHeader struct {
	line      int
	iat       bool
	fields    map[string]string
	sec       string
	effective time.Time
	company   string // company (or IAT originator) identification
	service   string
	odfi      string
	number    string
}

// entry is an entry detail waiting for its addenda.
type entry struct {
	line    int
	ev      *molehunt.Event
	raw     rawEntry
	addenda int // addenda records seen
	iat     map[string]string
}

type state struct {
	file   string
	digest *ident.Digester
	emit   func(ingest.Record) error

	// Records before any file header are skipped as one run and reported
	// once, when the run ends.
	skipFrom, skipTo int

	inFile, afterControl bool
	fh                   *fileHeader // nil when the file header was rejected
	fhLine               int
	fileRecords          int // physical records from the file header on
	fileBatches          int
	fileEntryAddenda     int64
	fileHash             int64
	fileDebit            int64
	fileCredit           int64

	inBatch           bool
	bh                *batchHeader // nil when the batch header was rejected
	bhLine            int
	batchEntryAddenda int64
	batchHash         int64
	batchDebit        int64
	batchCredit       int64
	prevTrace         string

	pending *entry
	// skipAddenda is set after a rejected entry: its addenda go with it.
	skipAddenda bool
}

func (s *state) reject(line int, field, format string, args ...any) error {
	rec := fmt.Sprintf("line %d", line)
	return s.emit(ingest.Record{Reject: &molehunt.Reject{
		Source: molehunt.SourceNACHA, File: s.file, Record: rec, Field: field,
		Reason: fmt.Sprintf(format, args...),
	}})
}

func (s *state) record(line int, rec []byte, tooLong bool) error {
	if s.afterControl && isPadding(rec) {
		s.fileRecords++
		return nil
	}
	typ := rec[0]
	if typ != '1' && !s.inFile {
		if s.skipFrom == 0 {
			s.skipFrom = line
		}
		s.skipTo = line
		return nil
	}
	if err := s.endSkip(); err != nil {
		return err
	}
	if s.inFile && !s.afterControl {
		s.fileRecords++
	}
	// Length and character set come first: a record of the wrong length has
	// its fields in the wrong places, so none of them can be trusted.
	padded, field, reason := normalise(rec, tooLong)
	if reason != "" {
		return s.badRecord(line, typ, field, reason)
	}
	switch typ {
	case '1':
		return s.fileHeaderRecord(line, padded)
	case '5':
		return s.batchHeaderRecord(line, padded)
	case '6':
		return s.entryRecord(line, padded)
	case '7':
		return s.addendaRecord(line, padded)
	case '8':
		return s.batchControlRecord(line, padded)
	case '9':
		return s.fileControlRecord(line, padded)
	}
	return s.reject(line, "record_type", "unknown record type %q", string(typ))
}

// badRecord handles a record whose shape is wrong: it is rejected, and the
// structure around it is kept so the records after it are still read.
func (s *state) badRecord(line int, typ byte, field, reason string) error {
	if err := s.reject(line, field, "%s", reason); err != nil {
		return err
	}
	switch typ {
	case '1':
		if err := s.closeFile(line); err != nil {
			return err
		}
		s.startFile(line, nil)
	case '5':
		if err := s.flushEntry(); err != nil {
			return err
		}
		if s.inBatch {
			if err := s.missingBatchControl(line); err != nil {
				return err
			}
		}
		s.startBatch(line, nil)
	case '6':
		if err := s.flushEntry(); err != nil {
			return err
		}
		if s.inBatch {
			s.batchEntryAddenda++
		}
		s.skipAddenda = true
	case '7':
		if s.inBatch {
			s.batchEntryAddenda++
		}
	case '8':
		if err := s.flushEntry(); err != nil {
			return err
		}
		s.endBatch()
	case '9':
		if err := s.flushEntry(); err != nil {
			return err
		}
		if s.inBatch {
			if err := s.missingBatchControl(line); err != nil {
				return err
			}
			s.endBatch()
		}
		s.afterControl = true
	}
	return nil
}

// normalise checks a record's length and characters and pads a record that
// lost only trailing blank fields. It returns the field and reason of a
// problem, or a record of exactly RecordLen bytes.
func normalise(rec []byte, tooLong bool) ([]byte, string, string) {
	if tooLong {
		return nil, "record_length", fmt.Sprintf("more than %d characters; want %d", maxLineLen, RecordLen)
	}
	for i, c := range rec {
		if c < 0x20 || c > 0x7e {
			return nil, "record", fmt.Sprintf("byte 0x%02x at position %d: NACHA records are printable ASCII", c, i+1)
		}
	}
	if len(rec) > RecordLen {
		if strings.TrimSpace(string(rec[RecordLen:])) != "" {
			return nil, "record_length", fmt.Sprintf("%d characters; want %d", len(rec), RecordLen)
		}
		rec = rec[:RecordLen]
	}
	if len(rec) < RecordLen {
		// Generators that trim trailing blanks leave a file header without
		// its optional names and reference code, or a file control without
		// its reserved tail; every other record ends in a required field.
		min := RecordLen
		switch rec[0] {
		case '1':
			min = 40
		case '9':
			min = 55
		}
		if len(rec) < min {
			return nil, "record_length", fmt.Sprintf("%d characters; want %d", len(rec), RecordLen)
		}
		p := make([]byte, RecordLen)
		copy(p, rec)
		for i := len(rec); i < RecordLen; i++ {
			p[i] = ' '
		}
		rec = p
	}
	return rec, "", ""
}

func isPadding(rec []byte) bool {
	for _, c := range rec {
		if c != '9' {
			return false
		}
	}
	return true
}

func (s *state) endSkip() error {
	if s.skipFrom == 0 {
		return nil
	}
	from, to := s.skipFrom, s.skipTo
	s.skipFrom, s.skipTo = 0, 0
	rec := fmt.Sprintf("line %d", from)
	if to != from {
		rec = fmt.Sprintf("lines %d-%d", from, to)
	}
	return s.emit(ingest.Record{Reject: &molehunt.Reject{
		Source: molehunt.SourceNACHA, File: s.file, Record: rec, Field: "record_type",
		Reason: "records before any file header (type 1); skipped",
	}})
}

func (s *state) finish(lastLine int) error {
	if err := s.endSkip(); err != nil {
		return err
	}
	return s.closeFile(lastLine)
}

// closeFile ends the current file at a new file header or the end of input,
// reporting a missing batch or file control.
func (s *state) closeFile(line int) error {
	if err := s.flushEntry(); err != nil {
		return err
	}
	if s.inBatch {
		if err := s.missingBatchControl(line); err != nil {
			return err
		}
		s.endBatch()
	}
	if s.inFile && !s.afterControl {
		if err := s.reject(s.fhLine, "record_type", "file starting here has no file control (type 9) before line %d", line); err != nil {
			return err
		}
	}
	s.inFile = false
	return nil
}

func (s *state) missingBatchControl(line int) error {
	return s.reject(s.bhLine, "record_type", "batch starting here has no batch control (type 8) before line %d", line)
}

func (s *state) startFile(line int, fh *fileHeader) {
	*s = state{file: s.file, digest: s.digest, emit: s.emit, inFile: true, fh: fh, fhLine: line, fileRecords: 1}
}

func (s *state) startBatch(line int, bh *batchHeader) {
	s.inBatch, s.bh, s.bhLine = true, bh, line
	s.batchEntryAddenda, s.batchHash, s.batchDebit, s.batchCredit = 0, 0, 0, 0
	s.prevTrace = ""
	s.skipAddenda = false
	s.fileBatches++
}

func (s *state) endBatch() {
	if s.inBatch {
		s.fileEntryAddenda += s.batchEntryAddenda
	}
	s.inBatch, s.bh = false, nil
	s.skipAddenda = false
}

func (s *state) fileHeaderRecord(line int, rec []byte) error {
	if err := s.closeFile(line); err != nil {
		return err
	}
	fh := &fileHeader{
		line:        line,
		destination: strings.TrimSpace(field(rec, 4, 13)),
		origin:      strings.TrimSpace(field(rec, 14, 23)),
		date:        field(rec, 24, 29),
		time:        field(rec, 30, 33),
		modID:       field(rec, 34, 34),
		destName:    strings.TrimSpace(field(rec, 41, 63)),
		originName:  strings.TrimSpace(field(rec, 64, 86)),
		reference:   strings.TrimSpace(field(rec, 87, 94)),
	}
	bad := ""
	switch {
	case fh.origin == "":
		bad = "immediate_origin"
	case !validDate(fh.date):
		bad = "file_creation_date"
	case !isAlnum(fh.modID):
		bad = "file_id_modifier"
	case field(rec, 35, 37) != "094":
		bad = "record_size"
	}
	if bad != "" {
		s.startFile(line, nil)
		return s.reject(line, bad, "invalid %s %q", strings.ReplaceAll(bad, "_", " "), fieldValue(bad, rec))
	}
	s.startFile(line, fh)
	return nil
}

func fieldValue(name string, rec []byte) string {
	switch name {
	case "immediate_origin":
		return field(rec, 14, 23)
	case "file_creation_date":
		return field(rec, 24, 29)
	case "file_id_modifier":
		return field(rec, 34, 34)
	case "record_size":
		return field(rec, 35, 37)
	}
	return ""
}

func validDate(yymmdd string) bool {
	_, err := time.Parse("060102", yymmdd)
	return err == nil
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return s != ""
}

func (s *state) batchHeaderRecord(line int, rec []byte) error {
	if err := s.flushEntry(); err != nil {
		return err
	}
	if s.afterControl {
		return s.reject(line, "record_type", "batch header after the file control")
	}
	if s.inBatch {
		if err := s.missingBatchControl(line); err != nil {
			return err
		}
		s.endBatch()
	}
	bh := &batchHeader{
		line:    line,
		service: field(rec, 2, 4),
		company: strings.TrimSpace(field(rec, 41, 50)),
		sec:     field(rec, 51, 53),
		odfi:    field(rec, 80, 87),
		number:  field(rec, 88, 94),
	}
	bh.iat = bh.sec == "IAT"
	if bh.iat {
		bh.fields = map[string]string{
			"service_class_code":             bh.service,
			"iat_indicator":                  strings.TrimSpace(field(rec, 5, 20)),
			"foreign_exchange_indicator":     field(rec, 21, 22),
			"foreign_exchange_reference_ind": strings.TrimSpace(field(rec, 23, 23)),
			"foreign_exchange_reference":     strings.TrimSpace(field(rec, 24, 38)),
			"iso_destination_country_code":   strings.TrimSpace(field(rec, 39, 40)),
			"originator_identification":      bh.company,
			"sec_code":                       bh.sec,
			"company_entry_description":      strings.TrimSpace(field(rec, 54, 63)),
			"iso_originating_currency_code":  strings.TrimSpace(field(rec, 64, 66)),
			"iso_destination_currency_code":  strings.TrimSpace(field(rec, 67, 69)),
			"effective_entry_date":           field(rec, 70, 75),
			"settlement_date":                strings.TrimSpace(field(rec, 76, 78)),
			"originator_status_code":         field(rec, 79, 79),
			"originating_dfi_identification": bh.odfi,
			"batch_number":                   bh.number,
		}
	} else {
		bh.fields = map[string]string{
			"service_class_code":             bh.service,
			"company_name":                   strings.TrimSpace(field(rec, 5, 20)),
			"company_discretionary_data":     strings.TrimSpace(field(rec, 21, 40)),
			"company_identification":         bh.company,
			"sec_code":                       bh.sec,
			"company_entry_description":      strings.TrimSpace(field(rec, 54, 63)),
			"company_descriptive_date":       strings.TrimSpace(field(rec, 64, 69)),
			"effective_entry_date":           field(rec, 70, 75),
			"settlement_date":                strings.TrimSpace(field(rec, 76, 78)),
			"originator_status_code":         field(rec, 79, 79),
			"originating_dfi_identification": bh.odfi,
			"batch_number":                   bh.number,
		}
	}
	eff, err := time.Parse("060102", field(rec, 70, 75))
	bad := ""
	switch {
	case !knownServiceClass(bh.service):
		bad = "service_class_code"
	case !isUpperAlnum(bh.sec):
		bad = "sec_code"
	case err != nil:
		bad = "effective_entry_date"
	case !isDigits(bh.odfi):
		bad = "originating_dfi_identification"
	case !isDigits(bh.number):
		bad = "batch_number"
	}
	if bad != "" {
		s.startBatch(line, nil)
		return s.reject(line, bad, "invalid %s %q", strings.ReplaceAll(bad, "_", " "), bh.fields[bad])
	}
	bh.effective = eff.UTC()
	s.startBatch(line, bh)
	return nil
}

func knownServiceClass(c string) bool { return c == "200" || c == "220" || c == "225" || c == "280" }

func isUpperAlnum(s string) bool { return isAlnum(s) }

// txInfo describes a transaction code.
type txInfo struct {
	credit  bool
	purpose string // live, prenote, zero_dollar, return_or_noc
	account string // checking, savings, general_ledger, loan
}

func transactionCode(code string) (txInfo, bool) {
	if len(code) != 2 || !isDigits(code) {
		return txInfo{}, false
	}
	var t txInfo
	switch code[0] {
	case '2':
		t.account = "checking"
	case '3':
		t.account = "savings"
	case '4':
		t.account = "general_ledger"
	case '5':
		t.account = "loan"
	default:
		return txInfo{}, false
	}
	switch code[1] {
	case '1':
		t.credit, t.purpose = true, "return_or_noc"
	case '2':
		t.credit, t.purpose = true, "live"
	case '3':
		t.credit, t.purpose = true, "prenote"
	case '4':
		t.credit, t.purpose = true, "zero_dollar"
	case '5':
		if code[0] != '5' { // 55 is the loan reversal debit; 25, 35, 45 do not exist
			return txInfo{}, false
		}
		t.purpose = "live"
	case '6':
		t.purpose = "return_or_noc"
	case '7':
		t.purpose = "live"
	case '8':
		t.purpose = "prenote"
	case '9':
		t.purpose = "zero_dollar"
	default:
		return txInfo{}, false
	}
	if code[0] == '5' && code[1] > '6' {
		return txInfo{}, false
	}
	return t, true
}

// rawEntry is the Raw payload of a payment event.
type rawEntry struct {
	Format     string            `json:"format"`
	Line       int               `json:"line"`
	Record     string            `json:"record"`
	File       map[string]string `json:"file"`
	BatchLine  int               `json:"batch_line"`
	Batch      map[string]string `json:"batch"`
	Entry      map[string]string `json:"entry"`
	IAT        map[string]string `json:"iat,omitempty"`
	Addenda    []rawAddenda      `json:"addenda,omitempty"`
	AddendaCut int               `json:"addenda_left_out,omitempty"`
}

type rawAddenda struct {
	Line   int    `json:"line"`
	Type   string `json:"type_code"`
	Record string `json:"record"`
}

func (s *state) entryRecord(line int, rec []byte) error {
	if err := s.flushEntry(); err != nil {
		return err
	}
	s.skipAddenda = false
	if !s.inBatch {
		s.skipAddenda = true
		return s.reject(line, "record_type", "entry detail outside a batch")
	}
	s.batchEntryAddenda++
	code := field(rec, 2, 3)
	rdfi := field(rec, 4, 11)
	amountText := field(rec, 30, 39)
	amount, amountOK := atoi(amountText)
	tx, txOK := transactionCode(code)
	// Hash and totals follow the record as written, before any judgement
	// of the entry, so the controls are checked against what the file holds.
	if isDigits(rdfi) {
		n, _ := atoi(rdfi)
		s.batchHash += n
		s.fileHash += n
	}
	if amountOK && txOK {
		if tx.credit {
			s.batchCredit += amount
			s.fileCredit += amount
		} else {
			s.batchDebit += amount
			s.fileDebit += amount
		}
	}
	fail := func(field, format string, args ...any) error {
		s.skipAddenda = true
		return s.reject(line, field, format, args...)
	}
	if s.fh == nil {
		return fail("file_header", "the file header at line %d was rejected", s.fhLine)
	}
	if s.bh == nil {
		return fail("batch_header", "the batch header at line %d was rejected", s.bhLine)
	}
	bh := s.bh
	e := map[string]string{
		"transaction_code":                code,
		"receiving_dfi_identification":    rdfi,
		"check_digit":                     field(rec, 12, 12),
		"amount":                          amountText,
		"addenda_record_indicator":        field(rec, 79, 79),
		"trace_number":                    field(rec, 80, 94),
		"dfi_account_number":              "",
		"individual_identification":       "",
		"individual_name":                 "",
		"discretionary_data":              "",
		"number_of_addenda_records":       "",
		"gateway_ofac_screening":          "",
		"secondary_ofac_screening":        "",
		"foreign_receiver_account_number": "",
	}
	accountFrom, accountTo := 13, 29
	switch bh.sec {
	case "IAT":
		accountFrom, accountTo = 40, 74
		e["number_of_addenda_records"] = field(rec, 13, 16)
		e["gateway_ofac_screening"] = strings.TrimSpace(field(rec, 77, 77))
		e["secondary_ofac_screening"] = strings.TrimSpace(field(rec, 78, 78))
	case "CTX":
		e["individual_identification"] = strings.TrimSpace(field(rec, 40, 54))
		e["number_of_addenda_records"] = field(rec, 55, 58)
		e["individual_name"] = strings.TrimSpace(field(rec, 59, 74))
		e["discretionary_data"] = strings.TrimSpace(field(rec, 77, 78))
	case "CIE":
		// Customer-initiated entries put the name first.
		e["individual_name"] = strings.TrimSpace(field(rec, 40, 54))
		e["individual_identification"] = strings.TrimSpace(field(rec, 55, 76))
		e["discretionary_data"] = strings.TrimSpace(field(rec, 77, 78))
	default:
		e["individual_identification"] = strings.TrimSpace(field(rec, 40, 54))
		e["individual_name"] = strings.TrimSpace(field(rec, 55, 76))
		e["discretionary_data"] = strings.TrimSpace(field(rec, 77, 78))
	}
	for k, v := range e {
		if v == "" {
			delete(e, k)
		}
	}
	account := strings.TrimSpace(field(rec, accountFrom, accountTo))
	trace := e["trace_number"]
	switch {
	case !txOK:
		return fail("transaction_code", "unknown transaction code %q", code)
	case !isDigits(rdfi):
		return fail("receiving_dfi_identification", "%q is not 8 digits", rdfi)
	case !isDigits(e["check_digit"]):
		return fail("check_digit", "%q is not a digit", e["check_digit"])
	case e["check_digit"][0] != checkDigit(rdfi):
		return fail("check_digit", "routing number %s%s fails its check digit (want %c)", rdfi, e["check_digit"], checkDigit(rdfi))
	case account == "":
		return fail("dfi_account_number", "empty")
	case !amountOK:
		return fail("amount", "%q is not a number of cents", amountText)
	case !isDigits(trace):
		return fail("trace_number", "%q is not 15 digits", trace)
	case s.prevTrace != "" && trace <= s.prevTrace:
		return fail("trace_number", "%s is not above the previous trace number %s of its batch; a repeated number would hide an entry", trace, s.prevTrace)
	}
	s.prevTrace = trace
	if ind := e["addenda_record_indicator"]; ind != "0" && ind != "1" {
		return fail("addenda_record_indicator", "%q; want 0 or 1", ind)
	}
	routing := rdfi + e["check_digit"]
	digest, err := s.digest.BankAccount(routing, account)
	if err != nil {
		return fail("dfi_account_number", "%v", err)
	}
	// The account number is overwritten in the record kept as Raw.
	redacted := []byte(string(rec))
	for i := accountFrom - 1; i < accountTo; i++ {
		redacted[i] = '*'
	}
	if bh.sec == "IAT" {
		e["foreign_receiver_account_number"] = strings.Repeat("*", accountTo-accountFrom+1)
	} else {
		e["dfi_account_number"] = strings.Repeat("*", accountTo-accountFrom+1)
	}
	e["direction"] = "debit"
	if tx.credit {
		e["direction"] = "credit"
	}
	e["purpose"] = tx.purpose
	e["account_type"] = tx.account
	minor := amount
	if !tx.credit {
		minor = -amount
	}
	fh := s.fh
	ev := &molehunt.Event{
		Kind:          molehunt.EventPayment,
		Source:        molehunt.SourceNACHA,
		SourceEventID: strings.Join([]string{fh.origin, fh.date, fh.modID, bh.number, trace}, ":"),
		Time:          bh.effective,
		Actor:         []molehunt.Identifier{{Kind: molehunt.IDBankAccount, Value: digest}},
		Payment: &molehunt.PaymentDetail{
			PayeeName:     collapse(e["individual_name"]),
			AccountDigest: digest,
			Routing:       routing,
			AmountMinor:   minor,
			Currency:      "USD",
			Rail:          molehunt.RailACH,
		},
	}
	s.pending = &entry{
		line: line,
		ev:   ev,
		raw: rawEntry{
			Format: "nacha", Line: line, Record: string(redacted),
			File: map[string]string{
				"immediate_destination": fh.destination, "immediate_origin": fh.origin,
				"file_creation_date": fh.date, "file_creation_time": fh.time, "file_id_modifier": fh.modID,
				"immediate_destination_name": fh.destName, "immediate_origin_name": fh.originName,
				"reference_code": fh.reference,
			},
			BatchLine: bh.line, Batch: bh.fields, Entry: e,
		},
	}
	if bh.sec == "IAT" {
		s.pending.iat = map[string]string{}
	}
	return nil
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

type iatField struct {
	name     string
	from, to int
}

// iatAddenda names the fields of the IAT addenda (types 10–18) that say who
// sent and who received the money, and where they are.
var iatAddenda = map[string][]iatField{
	"10": {{"transaction_type_code", 4, 6}, {"foreign_payment_amount", 7, 24}, {"foreign_trace_number", 25, 46}, {"receiver_name", 47, 81}},
	"11": {{"originator_name", 4, 38}, {"originator_street_address", 39, 73}},
	"12": {{"originator_city_state", 4, 38}, {"originator_country_postal_code", 39, 73}},
	"13": {{"odfi_name", 4, 38}, {"odfi_id_qualifier", 39, 40}, {"odfi_identification", 41, 74}, {"odfi_branch_country_code", 75, 77}},
	"14": {{"rdfi_name", 4, 38}, {"rdfi_id_qualifier", 39, 40}, {"rdfi_identification", 41, 74}, {"rdfi_branch_country_code", 75, 77}},
	"15": {{"receiver_identification_number", 4, 18}, {"receiver_street_address", 19, 53}},
	"16": {{"receiver_city_state", 4, 38}, {"receiver_country_postal_code", 39, 73}},
	"17": {{"payment_related_information", 4, 83}},
	"18": {{"foreign_correspondent_bank_name", 4, 38}, {"foreign_correspondent_bank_id_qualifier", 39, 40}, {"foreign_correspondent_bank_identification", 41, 74}, {"foreign_correspondent_bank_branch_country_code", 75, 77}},
}

func (s *state) addendaRecord(line int, rec []byte) error {
	if s.inBatch {
		s.batchEntryAddenda++
	}
	if s.skipAddenda {
		return nil // belongs to a rejected entry
	}
	p := s.pending
	if p == nil {
		return s.reject(line, "record_type", "addenda record without an entry detail before it")
	}
	typeCode := field(rec, 2, 3)
	if p.raw.Entry["addenda_record_indicator"] != "1" {
		return s.reject(line, "addenda_record_indicator", "addenda record after an entry (line %d) whose addenda record indicator is 0", p.line)
	}
	p.addenda++
	if len(p.raw.Addenda) < maxRawAddenda {
		p.raw.Addenda = append(p.raw.Addenda, rawAddenda{Line: line, Type: typeCode, Record: string(rec)})
	} else {
		p.raw.AddendaCut++
	}
	if p.iat != nil {
		for _, f := range iatAddenda[typeCode] {
			name := f.name
			if name == "payment_related_information" {
				// Several 17s may follow one another.
				if v := strings.TrimSpace(field(rec, f.from, f.to)); v != "" {
					if old := p.iat[name]; old != "" {
						v = old + " " + v
					}
					p.iat[name] = v
				}
				continue
			}
			if v := strings.TrimSpace(field(rec, f.from, f.to)); v != "" {
				p.iat[name] = v
			}
		}
	}
	return nil
}

// flushEntry emits the pending entry now that all its addenda are read.
func (s *state) flushEntry() error {
	p := s.pending
	if p == nil {
		return nil
	}
	s.pending = nil
	if p.raw.Entry["addenda_record_indicator"] == "1" && p.addenda == 0 {
		// Reported, not fatal: the entry itself is whole.
		if err := s.reject(p.line, "addenda_record_indicator", "indicator is 1 but no addenda record follows"); err != nil {
			return err
		}
	}
	if p.iat != nil {
		p.raw.IAT = p.iat
		p.ev.Payment.PayeeName = collapse(p.iat["receiver_name"])
		if id := p.iat["receiver_identification_number"]; id != "" {
			p.raw.Entry["individual_identification"] = id
		}
	}
	raw, err := json.Marshal(p.raw)
	if err != nil {
		return s.reject(p.line, "record", "cannot encode: %v", err)
	}
	p.ev.Raw = raw
	if err := p.ev.Validate(); err != nil {
		r := molehunt.RejectOf(molehunt.SourceNACHA, s.file, err)
		r.Record = fmt.Sprintf("line %d", p.line)
		return s.emit(ingest.Record{Reject: &r})
	}
	return s.emit(ingest.Record{Event: p.ev})
}

func (s *state) batchControlRecord(line int, rec []byte) error {
	if err := s.flushEntry(); err != nil {
		return err
	}
	if !s.inBatch {
		return s.reject(line, "record_type", "batch control without a batch header")
	}
	defer s.endBatch()
	checks := []struct {
		field string
		text  string
		want  int64
	}{
		{"entry_addenda_count", field(rec, 5, 10), s.batchEntryAddenda},
		{"entry_hash", field(rec, 11, 20), s.batchHash % 1e10},
		{"total_debit_amount", field(rec, 21, 32), s.batchDebit},
		{"total_credit_amount", field(rec, 33, 44), s.batchCredit},
	}
	for _, c := range checks {
		if err := s.checkControl(line, c.field, c.text, c.want, "batch"); err != nil {
			return err
		}
	}
	if bh := s.bh; bh != nil {
		for _, c := range [][3]string{
			{"service_class_code", field(rec, 2, 4), bh.service},
			{"company_identification", strings.TrimSpace(field(rec, 45, 54)), bh.company},
			{"originating_dfi_identification", field(rec, 80, 87), bh.odfi},
			{"batch_number", field(rec, 88, 94), bh.number},
		} {
			if c[1] != c[2] {
				if err := s.reject(line, c[0], "batch control says %q; the batch header (line %d) says %q", c[1], bh.line, c[2]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (s *state) checkControl(line int, name, text string, want int64, scope string) error {
	got, ok := atoi(text)
	if !ok {
		return s.reject(line, name, "%q is not a number", text)
	}
	if got != want {
		return s.reject(line, name, "%s control says %d; the %s holds %d", scope, got, scope, want)
	}
	return nil
}

func (s *state) fileControlRecord(line int, rec []byte) error {
	if err := s.flushEntry(); err != nil {
		return err
	}
	if s.afterControl {
		return s.reject(line, "record_type", "second file control")
	}
	if s.inBatch {
		if err := s.missingBatchControl(line); err != nil {
			return err
		}
		s.endBatch()
	}
	s.afterControl = true
	blocks := int64((s.fileRecords + 9) / 10)
	for _, c := range []struct {
		field string
		text  string
		want  int64
	}{
		{"batch_count", field(rec, 2, 7), int64(s.fileBatches)},
		{"block_count", field(rec, 8, 13), blocks},
		{"entry_addenda_count", field(rec, 14, 21), s.fileEntryAddenda},
		{"entry_hash", field(rec, 22, 31), s.fileHash % 1e10},
		{"total_debit_amount", field(rec, 32, 43), s.fileDebit},
		{"total_credit_amount", field(rec, 44, 55), s.fileCredit},
	} {
		if err := s.checkControl(line, c.field, c.text, c.want, "file"); err != nil {
			return err
		}
	}
	return nil
}
