package screening

import "strings"

// Romanization is a system for writing Korean in Latin letters.
type Romanization int

// The romanisation systems molehunt writes. MR is McCune–Reischauer with
// breves and apostrophes dropped, in the DPRK's own style (j for ㅈ, ch
// for ㅊ, ph/th/kh for aspirates, r for an initial ㄹ), which is how the
// sanctions lists spell North Korean names; RR is the South's Revised
// Romanization.
const (
	MR Romanization = iota
	RR
)

const (
	hangulBase  = 0xAC00
	hangulLast  = 0xD7A3
	numMedials  = 21
	numFinals   = 28
	perInitial  = numMedials * numFinals
	numInitials = 19
)

func isHangulSyllable(r rune) bool { return r >= hangulBase && r <= hangulLast }

// decompose splits a precomposed Hangul syllable into its initial, medial
// and final jamo indexes by the Unicode arithmetic (U+AC00 + (i*21+m)*28+f).
func decompose(r rune) (initial, medial, final int) {
	n := int(r - hangulBase)
	return n / perInitial, (n % perInitial) / numFinals, n % numFinals
}

var (
	mrInitials = [numInitials]string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"}
	rrInitials = [numInitials]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	mrMedials  = [numMedials]string{"a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"}
	rrMedials  = [numMedials]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	mrFinals   = [numFinals]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
	rrFinals   = mrFinals
)

// romanizeSyllable writes one Hangul syllable in the given system.
func romanizeSyllable(r rune, sys Romanization) string {
	i, m, f := decompose(r)
	if sys == RR {
		return rrInitials[i] + rrMedials[m] + rrFinals[f]
	}
	return mrInitials[i] + mrMedials[m] + mrFinals[f]
}

// RomanizeHangul writes the Hangul syllables of s in the given system, one
// space-separated token per syllable (Korean given names are written
// syllable by syllable on the lists: "Jong Un", "Jong-un"); other runes are
// kept as they are.
func RomanizeHangul(s string, sys Romanization) string {
	var b strings.Builder
	prev := false
	for _, r := range s {
		if isHangulSyllable(r) {
			if prev {
				b.WriteByte(' ')
			}
			b.WriteString(romanizeSyllable(r, sys))
			prev = true
			continue
		}
		prev = false
		b.WriteRune(r)
	}
	return b.String()
}

// koreanKey folds a romanised Korean token to a key that McCune–Reischauer,
// the DPRK's style and Revised Romanization share: aspirated and plain
// stops meet (k/g/kh, t/d/th, p/b/ph, ch/j), ŏ and ŭ written eo/eu or o/u
// meet, sh/s and r/l meet and double consonants are single. It is applied
// to whole tokens or joined tokens, the same way on both sides, so
// "Jong-un", "Jongun", "Jeong Eun" and 정은 all give "jonkun".
func koreanKey(t string) string {
	b := make([]byte, 0, len(t))
	for i := 0; i < len(t); i++ {
		c := t[i]
		var next byte
		if i+1 < len(t) {
			next = t[i+1]
		}
		switch c {
		case 'c':
			if next == 'h' {
				i++
			}
			c = 'j'
		case 's', 'k', 't', 'p':
			if next == 'h' {
				i++
			}
		case 'g':
			c = 'k'
		case 'd':
			c = 't'
		case 'b':
			c = 'p'
		case 'r':
			c = 'l'
		case 'e':
			if next == 'o' || next == 'u' {
				continue // eo → o, eu → u
			}
		case 'o':
			if next == 'o' {
				i++
				c = 'u'
			}
		}
		if n := len(b); n > 0 && b[n-1] == c && c != 'a' && c != 'e' && c != 'i' && c != 'o' && c != 'u' {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// koreanSyllables is every spelling of every Hangul syllable in MR (with
// and without voicing), the DPRK style and RR, so that a token can be
// checked for being Korean-shaped before Korean equivalences apply to it.
var koreanSyllables = func() map[string]bool {
	inits := [numInitials][]string{
		{"k", "g"}, {"kk", "gg"}, {"n"}, {"t", "d"}, {"tt", "dd"}, {"r", "l", "n", ""}, {"m"}, {"p", "b"}, {"pp", "bb"},
		{"s", "sh"}, {"ss"}, {""}, {"ch", "j"}, {"tch", "jj"}, {"ch", "chh"}, {"k", "kh"}, {"t", "th"}, {"p", "ph"}, {"h"},
	}
	meds := [numMedials][]string{
		{"a"}, {"ae"}, {"ya"}, {"yae"}, {"o", "eo"}, {"e"}, {"yo", "yeo"}, {"ye"}, {"o"}, {"wa"}, {"wae"}, {"oe"},
		{"yo"}, {"u", "oo"}, {"wo", "weo"}, {"we"}, {"wi"}, {"yu"}, {"u", "eu"}, {"ui", "eui"}, {"i"},
	}
	fins := []string{"", "k", "g", "n", "t", "l", "r", "m", "p", "ng"}
	m := map[string]bool{}
	for _, is := range inits {
		for _, ms := range meds {
			for _, i := range is {
				for _, md := range ms {
					for _, f := range fins {
						m[i+md+f] = true
					}
				}
			}
		}
	}
	for s := range surnameClass {
		m[s] = true
	}
	return m
}()

// isKoreanShaped reports whether t splits entirely into Korean syllable
// spellings, e.g. "jongun" (jong+un) or "kyonghak"; "robert" does not.
func isKoreanShaped(t string) bool {
	if len(t) == 0 || len(t) > 24 {
		return false
	}
	var ok [25]bool
	ok[0] = true
	for i := 1; i <= len(t); i++ {
		for l := 1; l <= 6 && l <= i; l++ {
			if ok[i-l] && koreanSyllables[t[i-l:i]] {
				ok[i] = true
				break
			}
		}
	}
	return ok[len(t)]
}

// surnameClass maps the spellings of Korean surnames to one class name:
// the lists write the DPRK form (Ri, Pak, Choe, Jong), people write the
// South's (Lee, Park, Choi, Jung).
var surnameClass = func() map[string]string {
	classes := [][]string{
		{"kim", "gim", "ghim", "kym"},
		{"ri", "rhee", "lee", "yi", "rhie", "li", "rie", "reeh", "yee", "lih"},
		{"pak", "park", "bak", "bahk", "pag"},
		{"choe", "choi", "chwe", "choy", "chey", "chuy"},
		{"jong", "chong", "jeong", "chung", "jung", "joung", "cheong", "jeung"},
		{"kang", "gang", "kahng"},
		{"ko", "go", "koh", "goh"},
		{"han", "hahn"},
		{"hwang", "whang"},
		{"yun", "yoon", "youn", "youn"},
		{"jang", "chang"},
		{"jo", "cho", "joh", "choh"},
		{"kwon", "gwon", "kweon", "gweon"},
		{"son", "sohn"},
		{"sin", "shin", "shinn", "sinn"},
		{"o", "oh"},
		{"u", "woo", "wu", "ou"},
		{"ryu", "yu", "yoo", "you", "lyu", "ryoo", "rew"},
		{"rim", "im", "lim", "yim", "leem"},
		{"ro", "no", "roh", "noh"},
		{"mun", "moon"},
		{"paek", "baek", "paik", "baik", "pack"},
		{"jon", "jeon", "chon", "chun", "jun"},
		{"ju", "joo", "chu", "choo"},
		{"so", "seo", "suh", "soh"},
		{"yang", "ryang"},
		{"hyon", "hyun", "hyeon"},
		{"kil", "gil"},
		{"kye", "gye"},
		{"myong", "myung", "myeong"},
		{"om", "eom", "um"},
		{"ji", "chi"},
		{"pyon", "byun", "byeon", "pyun"},
		{"ho", "heo", "huh", "hur"},
		{"an", "ahn"},
		{"ra", "na", "rah", "nah"},
		{"ryom", "yom", "yeom", "ryeom"},
		{"song"},
		{"hong"},
		{"nam"},
		{"cha"},
		{"sim", "shim"},
		{"tak", "takh"},
		{"ok"},
		{"pyo"},
	}
	m := map[string]string{}
	for _, c := range classes {
		for _, s := range c {
			m[s] = c[0]
		}
	}
	return m
}()

// hangulSurnames gives the listed (DPRK) spelling of surnames whose first
// Hangul letter changes between North and South (리/이, 림/임, 로/노 ...),
// used when a Hangul name is romanised so that the class table meets it.
var hangulSurnames = map[rune]string{
	'이': "ri", '리': "ri", '임': "rim", '림': "rim", '노': "ro", '로': "ro", '유': "yu", '류': "ryu",
	'양': "ryang", '량': "ryang", '염': "ryom", '렴': "ryom", '나': "ra", '라': "ra", '박': "pak", '최': "choe",
}
