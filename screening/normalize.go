package screening

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
	"golang.org/x/text/unicode/norm"
)

// NormalizeName folds a name to the form molehunt compares: Unicode NFKC,
// transliterated to Latin (Hangul by our own McCune–Reischauer tables, one
// token per syllable; other scripts through unidecode), diacritics stripped,
// case folded, apostrophes dropped (so "Jume'an" and "Jumean" meet),
// other punctuation turned into spaces, honorifics removed and single
// spaces. Legal forms are kept: they are words of the name, and the index
// treats them as weak tokens itself.
func NormalizeName(s string) string {
	toks := normTokens(s)
	toks = dropHonorifics(toks)
	return strings.Join(toks, " ")
}

// normTokens transliterates and folds s and splits it into tokens; it keeps
// honorifics so that callers can decide.
func normTokens(s string) []string {
	if s == "" {
		return nil
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		s = norm.NFKC.String(s)
	}
	prevHangul := false
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf:
			prevHangul = false
			writeASCII(&b, byte(r))
		case isHangulSyllable(r):
			if prevHangul {
				b.WriteByte(' ')
			}
			// The first syllable of a Hangul word is the family name; the
			// North writes 리/림/로 where the South writes 이/임/노, and the
			// lists spell it the Northern way.
			if sn, ok := hangulSurnames[r]; ok && !prevHangul && nextIsHangul(s[i+utf8.RuneLen(r):]) {
				b.WriteString(sn)
			} else {
				b.WriteString(romanizeSyllable(r, MR))
			}
			prevHangul = true
		case isApostrophe(r):
			prevHangul = false
		default:
			prevHangul = false
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			d := unidecode.Unidecode(string(r))
			for i := 0; i < len(d); i++ {
				writeASCII(&b, d[i])
			}
		}
	}
	return strings.Fields(b.String())
}

// writeASCII appends c folded: letters and digits lower-cased, apostrophes
// and backticks dropped (unidecode writes ` for ayn), everything else a
// space.
func writeASCII(b *strings.Builder, c byte) {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		b.WriteByte(c)
	case c >= 'A' && c <= 'Z':
		b.WriteByte(c + 'a' - 'A')
	case c == '\'' || c == '`':
	default:
		b.WriteByte(' ')
	}
}

func nextIsHangul(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isHangulSyllable(r)
}

func isApostrophe(r rune) bool {
	switch r {
	case '\u2018', '\u2019', '\u02bc', '\u02bb', '\u02b9', '\u02be', '\u02bf', '\u00b4', '\u2032':
		return true
	}
	return false
}

// honorifics are titles that say nothing about who a person is; they are
// removed wherever they stand, unless nothing else would remain.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true,
	"sir": true, "dame": true, "lord": true, "sheikh": true, "shaikh": true, "shaykh": true,
	"sheik": true, "shaik": true, "haji": true, "hajji": true, "hadji": true, "hajj": true,
	"alhaj": true, "alhaji": true, "alhajji": true, "mullah": true, "mulla": true, "mawlawi": true,
	"maulawi": true, "maulvi": true, "molvi": true, "mawlana": true, "maulana": true, "hon": true,
	"rev": true, "mme": true, "mlle": true, "herr": true, "frau": true, "senor": true, "sra": true,
}

func dropHonorifics(toks []string) []string {
	n := 0
	for _, t := range toks {
		if !honorifics[t] {
			n++
		}
	}
	if n == len(toks) || n == 0 {
		return toks
	}
	out := make([]string, 0, n)
	for _, t := range toks {
		if !honorifics[t] {
			out = append(out, t)
		}
	}
	return out
}

// legalFormList holds company legal forms, as normalised token sequences. They
// are weak tokens: present or absent, they neither make nor break a match,
// and any one stands for any other.
var legalFormList = []string{
	"llc", "l l c", "ltd", "limited", "co", "company", "corp", "corporation", "inc", "incorporated",
	"jsc", "ojsc", "cjsc", "pjsc", "ojsc", "zao", "oao", "pao", "ao", "ooo", "tov",
	"gmbh", "mbh", "ag", "kg", "bv", "nv", "plc", "llp", "lp", "pte", "pty", "sdn bhd", "bhd", "sdn",
	"s a", "sa", "s a s", "sas", "s a l", "sal", "s a r l", "sarl", "s r l", "srl", "s p a",
	"s a de c v", "sa de cv", "de c v", "de cv", "c v", "cv", "s de r l de c v", "s de rl de cv",
	"s de r l", "s de rl", "r l", "ltda", "cia", "cia ltda", "y cia", "e cia", "and co", "co ltd", "company limited",
	"fze", "fzc", "fzco", "fz llc", "fzllc", "fze llc", "dmcc", "jv", "jvc", "jsc",
	"limited liability company", "limited liability partnership", "limited partnership",
	"joint stock company", "open joint stock company", "closed joint stock company",
	"public joint stock company", "private joint stock company", "joint venture", "joint venture company",
	"public limited company", "private limited company", "private limited", "pvt ltd", "pvt",
	"obshchestvo s ogranichennoi otvetstvennostyu", "obshchestvo s ogranichennoy otvetstvennostyu",
	"aktsionernoe obshchestvo", "aktsionernoye obshchestvo", "publichnoe aktsionernoe obshchestvo",
	"otkrytoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo", "obshchestvo", "aktsionernoe",
	"tovarystvo z obmezhenoyu vidpovidalnistyu", "sociedad anonima", "sociedad limitada",
	"sociedad de responsabilidad limitada", "societe anonyme", "gesellschaft mit beschrankter haftung",
	"kabushiki kaisha", "yugen kaisha", "oy", "oyj", "sp z o o", "spolka z o o",
	"the",
}

// legalIndex maps the first token of each legal phrase to the phrases
// starting with it, longest first.
var legalIndex = func() map[string][][]string {
	m := map[string][][]string{}
	for _, p := range legalFormList {
		toks := strings.Fields(p)
		m[toks[0]] = append(m[toks[0]], toks)
	}
	for k, ps := range m {
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j]) > len(ps[j-1]); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
		m[k] = ps
	}
	return m
}()

// legalMask marks the tokens of toks that belong to a legal-form phrase.
// Single letters are legal only inside a longer phrase ("s a"), and "the"
// only when it leads, so that a name is never emptied by the mask.
func legalMask(toks []string) []bool {
	mask := make([]bool, len(toks))
	any := false
	for i := 0; i < len(toks); {
		best := 0
		for _, p := range legalIndex[toks[i]] {
			if len(p) > len(toks)-i {
				continue
			}
			ok := true
			for k := range p {
				if toks[i+k] != p[k] {
					ok = false
					break
				}
			}
			if ok {
				best = len(p)
				break
			}
		}
		if best > 0 && toks[i] == "the" && i != 0 {
			best = 0
		}
		if best == 0 {
			i++
			continue
		}
		for k := 0; k < best; k++ {
			mask[i+k] = true
		}
		any = true
		i += best
	}
	if any {
		all := true
		for _, m := range mask {
			if !m {
				all = false
				break
			}
		}
		if all {
			// A name made only of legal words ("Limited Company") keeps
			// them as its content.
			for i := range mask {
				mask[i] = false
			}
		}
	}
	return mask
}

// canonToken folds a few spellings that are the same word in names: the
// Arabic article (al/el/ul are one letter-pair in Arabic), so that
// "El-Rahhal" meets "Al-Rahhal".
func canonToken(t string) string {
	switch t {
	case "el", "ul":
		return "al"
	}
	return t
}
