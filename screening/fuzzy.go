package screening

// FNV-1a, computed over a string with up to two positions skipped, so that
// deletion neighbourhoods need no allocation.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashSkip(s string, skip1, skip2 int) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		if i == skip1 || i == skip2 {
			continue
		}
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	// Mix the length in so that different deletion depths of one
	// string cannot collide by construction.
	h ^= uint64(len(s) - b2i(skip1 >= 0) - b2i(skip2 >= 0))
	h *= fnvPrime
	return h
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// deletions calls fn with the hash of s and of every string made by
// deleting up to k of its letters (the deletion neighbourhood): two tokens
// within edit distance k share at least one such string.
func deletions(s string, k int, fn func(uint64)) {
	fn(hashSkip(s, -1, -1))
	if k < 1 {
		return
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue // deleting either of a doubled letter gives the same string
		}
		fn(hashSkip(s, i, -1))
	}
	if k < 2 {
		return
	}
	for i := 0; i < len(s); i++ {
		for j := i + 1; j < len(s); j++ {
			fn(hashSkip(s, i, j))
		}
	}
}

// osa returns the optimal-string-alignment distance between a and b
// (Levenshtein plus adjacent transpositions), or max+1 once it is certain
// to exceed max.
func osa(a, b string, max int) int {
	la, lb := len(a), len(b)
	if d := la - lb; d > max || -d > max {
		return max + 1
	}
	if la == 0 || lb == 0 {
		return la + lb
	}
	var buf [3 * 33]int
	var rows []int
	if lb+1 <= 33 {
		rows = buf[:3*(lb+1)]
	} else {
		rows = make([]int, 3*(lb+1))
	}
	prev2, prev, cur := rows[:lb+1], rows[lb+1:2*(lb+1)], rows[2*(lb+1):]
	for j := 0; j <= lb; j++ {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if x := prev[j] + 1; x < v {
				v = x
			}
			if x := cur[j-1] + 1; x < v {
				v = x
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if x := prev2[j-2] + 1; x < v {
					v = x
				}
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// phonKey is a consonant skeleton that transliteration variants of one
// name share: Muhammad/Mohamed/Mohammad → mhmd, Tsekov/Tsekoff → tskv,
// Khadim/Hadim → hdm. Vowels (and y) vanish except a leading one, which
// becomes 'a'; doubled letters count once. Tokens of fewer than four
// letters, and skeletons of fewer than three, get none: they are too
// common to say anything.
func phonKey(s string) string {
	if len(s) < 4 {
		return ""
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		var next byte
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			if i == 0 {
				c = 'a'
			} else {
				continue
			}
		case 'p':
			if next == 'h' {
				i++
			}
			c = 'v'
		case 'f', 'w':
			c = 'v'
		case 'k':
			if next == 'h' {
				i++
				c = 'h'
			}
		case 'g':
			if next == 'h' {
				i++
			}
		case 'c':
			if next == 'h' {
				i++
				c = 's'
			} else if next == 'k' {
				i++
				c = 'k'
			} else {
				c = 'k'
			}
		case 'q':
			c = 'k'
		case 's':
			if next == 'h' {
				i++
			}
		case 'z':
			if next == 'h' {
				i++
				c = 'j'
			}
		case 'd':
			if next == 'j' || (next == 'z' && i+2 < len(s) && s[i+2] == 'h') {
				continue // dj, dzh → j
			}
		case 'x':
			b = append(b, 'k')
			c = 's'
		case 'h':
			if i == len(s)-1 && i > 0 {
				continue
			}
		}
		if n := len(b); n > 0 && b[n-1] == c {
			continue
		}
		b = append(b, c)
	}
	if len(b) < 3 {
		return ""
	}
	return string(b)
}
