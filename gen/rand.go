package gen

import "math/bits"

// rng is a small splitmix64 generator. Every stream of the organisation
// (a worker's profile, one day of one worker's logins, ...) gets its own
// rng seeded from the configuration seed and the stream's coordinates, so
// what one stream draws never depends on the order other streams ran in:
// output is the same whatever the file order or the parallelism.
type rng struct{ s uint64 }

// Stream tags keep the streams of different purposes apart.
const (
	streamPlan uint64 = iota + 1
	streamWorker
	streamApplicant
	streamOkta
	streamOsquery
	streamPay
	streamShip
	streamPersona
	streamVendor
	streamNetwork
	streamGreenhouse
)

func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// newRNG returns the generator of the stream named by parts.
func newRNG(parts ...uint64) rng {
	h := uint64(0x6a09e667f3bcc908)
	for _, p := range parts {
		h = mix(h ^ p)
	}
	return rng{s: h}
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s - 0x9e3779b97f4a7c15)
}

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

// norm returns a normally distributed number (Box–Muller, one of the pair).
func (r *rng) norm(mean, sd float64) float64 {
	u1 := r.float()
	if u1 < 1e-12 {
		u1 = 1e-12
	}
	u2 := r.float()
	return mean + sd*sqrtNeg2Log(u1)*cos2Pi(u2)
}

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// weighted picks an index with probability proportional to w.
func (r *rng) weighted(w []float64) int {
	var total float64
	for _, x := range w {
		total += x
	}
	t := r.float() * total
	for i, x := range w {
		if t < x {
			return i
		}
		t -= x
	}
	return len(w) - 1
}

// digits returns n random decimal digits.
func (r *rng) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.intn(10))
	}
	return string(b)
}

const alnumUpper = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// chars returns n characters drawn from set.
func (r *rng) chars(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.intn(len(set))]
	}
	return string(b)
}

// appendHex appends n lower hex digits.
func (r *rng) appendHex(b []byte, n int) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < n; i++ {
		b = append(b, hex[r.intn(16)])
	}
	return b
}

// uuid returns a random (version 4) UUID in lower case.
func (r *rng) uuid() string {
	b := make([]byte, 0, 36)
	b = r.appendHex(b, 8)
	b = append(b, '-')
	b = r.appendHex(b, 4)
	b = append(b, '-', '4')
	b = r.appendHex(b, 3)
	b = append(b, '-', "89ab"[r.intn(4)])
	b = r.appendHex(b, 3)
	b = append(b, '-')
	b = r.appendHex(b, 12)
	return string(b)
}
