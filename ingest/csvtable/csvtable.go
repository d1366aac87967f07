// Package csvtable holds what the CSV export parsers share: header names
// folded to one form, a streaming reader that sniffs the delimiter, and
// the date and time layouts HR and payroll systems print.
package csvtable

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
)

// NormHeader folds a column name to lower-case words joined by '_':
// "Account Holder", "account-holder" and "AccountHolder " differ only in
// how a payroll system prints them. camelCase is split too.
func NormHeader(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			prevLower = true
		default:
			b.WriteByte('_')
			prevLower = false
		}
	}
	parts := strings.FieldsFunc(b.String(), func(r rune) bool { return r == '_' })
	return strings.Join(parts, "_")
}

// NewReader strips a UTF-8 byte-order mark, sniffs the delimiter from
// the header line (',' ';' tab or '|', whichever is most frequent outside
// quotes) and returns a streaming csv.Reader.
func NewReader(r io.Reader) *csv.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xef, 0xbb, 0xbf}) {
		_, _ = br.Discard(3)
	}
	peek, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(peek, '\n'); i >= 0 {
		peek = peek[:i]
	}
	comma, best := ',', 0
	for _, c := range []rune{',', ';', '\t', '|'} {
		n, quoted := 0, false
		for _, b := range string(peek) {
			switch {
			case b == '"':
				quoted = !quoted
			case b == c && !quoted:
				n++
			}
		}
		if n > best {
			comma, best = c, n
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

// ParseTime reads the date and time forms payroll and ITAM exports write.
// A value without a zone is taken as UTC; a date alone as midnight UTC.
// Slashed dates are month first unless dayFirst.
func ParseTime(s string, dayFirst bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	layouts := []string{
		time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05", "2006-01-02 15:04", time.DateOnly, "2006/01/02", "20060102",
		"02-Jan-2006", "2-Jan-2006", "2 Jan 2006", "02 Jan 2006", "Jan 2, 2006", "January 2, 2006", "2 January 2006",
	}
	if dayFirst {
		layouts = append(layouts, "02/01/2006", "2/1/2006", "02/01/2006 15:04:05", "2/1/2006 15:04", "02.01.2006", "02-01-2006")
	} else {
		layouts = append(layouts, "01/02/2006", "1/2/2006", "01/02/2006 15:04:05", "1/2/2006 15:04:05", "1/2/2006 15:04", "01-02-2006")
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date or time this reader knows (want e.g. 2026-10-30 or 2026-10-30T17:00:00Z)", s)
}
