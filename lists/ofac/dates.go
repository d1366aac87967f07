package ofac

import (
	"strconv"
	"strings"
)

// maxRangeYears caps how many single years a date-of-birth range expands to;
// a longer range gives its endpoints only, so one vague entry cannot flood
// the birth-date index.
const maxRangeYears = 10

var monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// monthOf returns the two-digit month of an English month name, its
// three-letter abbreviation (with or without a dot) or "Sept", as OFAC
// writes them.
func monthOf(s string) (string, bool) {
	l := strings.ToLower(strings.TrimSuffix(s, "."))
	for i, full := range monthNames {
		if l == full || l == full[:3] || (i == 8 && l == "sept") {
			return string([]byte{'0' + byte((i+1)/10), '0' + byte((i+1)%10)}), true
		}
	}
	return "", false
}

func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[0] == '1' || s[0] == '2'
}

// normDate turns one OFAC date ("01 Jan 1960", "Jan 1960", "1960") into an
// ISO 8601 prefix ("1960-01-01", "1960-01", "1960"). ISO dates pass through.
func normDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 10 && s[4] == '-' && s[7] == '-' && isYear(s[:4]) {
		if validDay(s[8:10]) && validMonth(s[5:7]) {
			return s, true
		}
		return "", false
	}
	f := strings.Fields(s)
	switch len(f) {
	case 1:
		if isYear(f[0]) {
			return f[0], true
		}
	case 2:
		if m, ok := monthOf(f[0]); ok && isYear(f[1]) {
			return f[1] + "-" + m, true
		}
	case 3:
		m, ok := monthOf(f[1])
		if ok && isYear(f[2]) && validDay(f[0]) {
			d := f[0]
			if len(d) == 1 {
				d = "0" + d
			}
			return f[2] + "-" + m + "-" + d, true
		}
	}
	return "", false
}

func validDay(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && len(s) <= 2 && n >= 1 && n <= 31
}

func validMonth(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 12
}

// parseDOB reads the value of a "DOB" remark: a single date, "circa" a date,
// or a range "A to B" (also "circa 1979-1982"). See the package comment for
// how ranges expand. It returns nil when the value is not understood.
func parseDOB(s string) []string {
	s = strings.TrimSpace(s)
	if rest, ok := cutPrefixFold(s, "circa "); ok {
		s = strings.TrimSpace(rest)
	}
	a, b, isRange := strings.Cut(s, " to ")
	if !isRange {
		// "1979-1982": two years joined by a hyphen.
		if len(s) == 9 && s[4] == '-' && isYear(s[:4]) && isYear(s[5:]) {
			a, b, isRange = s[:4], s[5:], true
		}
	}
	if !isRange {
		if d, ok := normDate(s); ok {
			return []string{d}
		}
		return nil
	}
	da, okA := normDate(a)
	db, okB := normDate(b)
	switch {
	case okA && okB:
	case okA:
		return []string{da}
	case okB:
		return []string{db}
	default:
		return nil
	}
	// Whole years: "1958 to 1960" or "01 Jan 1961 to 31 Dec 1962".
	ya, yb := da[:4], db[:4]
	whole := (len(da) == 4 && len(db) == 4) ||
		(len(da) == 10 && len(db) == 10 && da[4:] == "-01-01" && db[4:] == "-12-31")
	if whole {
		na, _ := strconv.Atoi(ya)
		nb, _ := strconv.Atoi(yb)
		if nb >= na && nb-na < maxRangeYears {
			out := make([]string, 0, nb-na+1)
			for y := na; y <= nb; y++ {
				out = append(out, strconv.Itoa(y))
			}
			return out
		}
		return []string{ya, yb}
	}
	if da == db {
		return []string{da}
	}
	return []string{da, db}
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
