package link

import (
	"encoding/hex"
	"hash/fnv"
	"math/bits"
	"strings"
)

// Photo hashes are 64 bits; split into four 16-bit blocks, two hashes
// within 3 bits of each other agree on at least one block (pigeonhole), so
// the blocks index near-duplicates exactly for PhotoMaxDistance ≤ 3.
const photoBlocks = 4

func (g *Graph) addBucketEntry(head int32, x int32) int32 {
	e := int32(len(g.bktIdent))
	g.bktIdent = append(g.bktIdent, x)
	g.bktNext = append(g.bktNext, head)
	return e
}

func (g *Graph) indexPhoto(x int32, v string) {
	b, ok := hexUint64(v)
	if !ok {
		return
	}
	g.photoBits[x] = b
	for k := 0; k < photoBlocks; k++ {
		key := uint32(k)<<16 | uint32(b>>(16*k))&0xffff
		head, ok := g.photoBucket[key]
		if !ok {
			head = -1
		}
		g.photoBucket[key] = g.addBucketEntry(head, x)
	}
}

// resumeValues reads a MinHash signature "<scheme>:<hex>" as 32-bit values
// (8 hex digits each). Signatures of another shape match only exactly.
func resumeValues(v string) []uint32 {
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	if len(v) < 16 || len(v)%8 != 0 {
		return nil
	}
	raw, err := hex.DecodeString(v)
	if err != nil {
		return nil
	}
	out := make([]uint32, len(raw)/4)
	for i := range out {
		out[i] = uint32(raw[4*i])<<24 | uint32(raw[4*i+1])<<16 | uint32(raw[4*i+2])<<8 | uint32(raw[4*i+3])
	}
	return out
}

// resumeRows is the LSH band width for a signature of n values: one value
// per band for short signatures, so that agreement in ResumeMinAgree of the
// values always shares a band; about 32 bands for long ones.
func resumeRows(n int) int {
	if r := n / 32; r > 1 {
		return r
	}
	return 1
}

func bandKey(band int, vals []uint32) uint64 {
	if len(vals) == 1 {
		return uint64(band)<<32 | uint64(vals[0])
	}
	h := fnv.New32a()
	var b [4]byte
	for _, v := range vals {
		b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		h.Write(b[:])
	}
	return uint64(band)<<32 | uint64(h.Sum32())
}

func (g *Graph) indexResume(x int32, v string) {
	vals := resumeValues(v)
	if vals == nil {
		return
	}
	off := int32(len(g.resumeVals))
	g.resumeVals = append(g.resumeVals, vals...)
	g.resumeSig[x] = [2]int32{off, int32(len(vals))}
	r := resumeRows(len(vals))
	for band := 0; band*r+r <= len(vals); band++ {
		key := bandKey(band, vals[band*r:band*r+r])
		head, ok := g.resumeBkt[key]
		if !ok {
			head = -1
		}
		g.resumeBkt[key] = g.addBucketEntry(head, x)
	}
}

func (g *Graph) resumeOf(x int32) []uint32 {
	s, ok := g.resumeSig[x]
	if !ok {
		return nil
	}
	return g.resumeVals[s[0] : s[0]+s[1]]
}

func agree(a, b []uint32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// nearIdents calls fn for every identifier of the same kind that is a
// near-duplicate of photo or resume identifier x (x itself excluded).
func (g *Graph) nearIdents(x int32, fn func(y int32)) {
	switch g.identKind[x] {
	case kPhoto:
		b, ok := g.photoBits[x]
		if !ok {
			return
		}
		clear(g.seen)
		for k := 0; k < photoBlocks; k++ {
			key := uint32(k)<<16 | uint32(b>>(16*k))&0xffff
			for e := g.photoBucket[key]; e >= 0; e = g.bktNext[e] {
				y := g.bktIdent[e]
				if y == x {
					continue
				}
				if _, dup := g.seen[y]; dup {
					continue
				}
				g.seen[y] = struct{}{}
				if bits.OnesCount64(b^g.photoBits[y]) <= g.cfg.PhotoMaxDistance {
					fn(y)
				}
			}
		}
	case kResume:
		vals := g.resumeOf(x)
		if vals == nil {
			return
		}
		clear(g.seen)
		r := resumeRows(len(vals))
		for band := 0; band*r+r <= len(vals); band++ {
			key := bandKey(band, vals[band*r:band*r+r])
			e, ok := g.resumeBkt[key]
			if !ok {
				continue
			}
			for ; e >= 0; e = g.bktNext[e] {
				y := g.bktIdent[e]
				if y == x {
					continue
				}
				if _, dup := g.seen[y]; dup {
					continue
				}
				g.seen[y] = struct{}{}
				if agree(vals, g.resumeOf(y)) >= g.cfg.ResumeMinAgree {
					fn(y)
				}
			}
		}
	}
}

// candidates calls fn with every subject that shares weak evidence with
// si: a counting IP, an equal or near photo, an equal or near resume.
func (g *Graph) candidates(si int32, fn func(t int32)) {
	holders := func(y int32) {
		if g.identFlag[y]&identInfra != 0 {
			return
		}
		for h := g.identHead[y]; h >= 0; h = g.holdings[h].nextI {
			if t := g.holdings[h].subj; t != si {
				fn(t)
			}
		}
	}
	var near []int32
	for h := g.subjects[si].head; h >= 0; h = g.holdings[h].nextS {
		x := g.holdings[h].ident
		switch g.identKind[x] {
		case kIP:
			if g.identDeg[x] > 1 && g.ipCounts(x) {
				holders(x)
			}
		case kProfile:
			if g.identDeg[x] > 1 {
				holders(x)
			}
		case kPhoto, kResume:
			if g.identFlag[x]&identInfra != 0 {
				continue
			}
			holders(x)
			near = near[:0]
			g.nearIdents(x, func(y int32) { near = append(near, y) })
			for _, y := range near {
				holders(y)
			}
		}
	}
}

// linkWeak joins si to every candidate whose weak evidence reaches the
// threshold.
func (g *Graph) linkWeak(si int32) {
	var cands []int32
	g.candidates(si, func(t int32) { cands = append(cands, t) })
	for _, t := range cands {
		if g.find(t) == g.find(si) {
			continue
		}
		if g.score(si, t, nil) >= g.cfg.JoinThreshold {
			g.union(si, t)
		}
	}
}

// WeakPart is one piece of weak evidence between two subjects.
type WeakPart struct {
	// Kind is "ip", "photo", "resume", "profile" or "name".
	Kind   string  `json:"kind"`
	Weight float64 `json:"weight"`
	// Values are the identifiers involved: the shared IP, or the two
	// photo hashes or resume signatures (equal ones once).
	Values []string `json:"values,omitempty"`
	// Distance is the photo hashes' Hamming distance or the share of
	// resume MinHash values that differ.
	Distance float64 `json:"distance,omitempty"`
}

// holdingOf returns subject t's holding of identifier x, or -1.
func (g *Graph) holdingOf(t, x int32) int32 {
	for h := g.identHead[x]; h >= 0; h = g.holdings[h].nextI {
		if g.holdings[h].subj == t {
			return h
		}
	}
	return -1
}

// score sums the weak evidence between a and b; parts, when not nil,
// receives each piece.
func (g *Graph) score(a, b int32, parts *[]WeakPart) float64 {
	w := g.cfg.Weights
	window := uint32(g.cfg.IPWindow.Seconds())
	var ip, photo, resume, profile float64
	var ipVals, profileVals []string
	var photoPart, resumePart WeakPart
	for h := g.subjects[a].head; h >= 0; h = g.holdings[h].nextS {
		ha := &g.holdings[h]
		x := ha.ident
		switch g.identKind[x] {
		case kIP:
			if g.identDeg[x] < 2 || !g.ipCounts(x) {
				continue
			}
			hb := g.holdingOf(b, x)
			if hb < 0 {
				continue
			}
			if !within(ha, &g.holdings[hb], window) {
				continue
			}
			ip += w.IP
			if parts != nil {
				ipVals = append(ipVals, g.identValue(x))
			}
		case kProfile:
			if g.identDeg[x] < 2 || g.identFlag[x]&identInfra != 0 || g.holdingOf(b, x) < 0 {
				continue
			}
			profile = w.Profile
			if parts != nil {
				profileVals = append(profileVals, g.identValue(x))
			}
		case kPhoto:
			if g.identFlag[x]&identInfra != 0 {
				continue
			}
			for hb := g.subjects[b].head; hb >= 0; hb = g.holdings[hb].nextS {
				y := g.holdings[hb].ident
				if g.identKind[y] != kPhoto || g.identFlag[y]&identInfra != 0 {
					continue
				}
				var v float64
				var d int
				if y == x {
					v = w.PhotoExact
				} else if bx, ok := g.photoBits[x]; ok {
					if by, ok := g.photoBits[y]; ok {
						if d = bits.OnesCount64(bx ^ by); d <= g.cfg.PhotoMaxDistance {
							v = w.PhotoNear
						}
					}
				}
				if v > photo {
					photo = v
					photoPart = WeakPart{Kind: "photo", Weight: v, Values: g.pairValues(x, y), Distance: float64(d)}
				}
			}
		case kResume:
			if g.identFlag[x]&identInfra != 0 {
				continue
			}
			for hb := g.subjects[b].head; hb >= 0; hb = g.holdings[hb].nextS {
				y := g.holdings[hb].ident
				if g.identKind[y] != kResume || g.identFlag[y]&identInfra != 0 {
					continue
				}
				var v, d float64
				if y == x {
					v = w.ResumeExact
				} else if ag := agree(g.resumeOf(x), g.resumeOf(y)); ag >= g.cfg.ResumeMinAgree {
					v, d = w.ResumeNear, 1-ag
				}
				if v > resume {
					resume = v
					resumePart = WeakPart{Kind: "resume", Weight: v, Values: g.pairValues(x, y), Distance: d}
				}
			}
		}
	}
	if ip > w.IPMax {
		ip = w.IPMax
	}
	total := ip + photo + resume + profile
	var name float64
	if total > 0 && g.subjects[a].name != "" && g.subjects[a].name == g.subjects[b].name {
		name = w.Name
		total += name
	}
	if parts != nil {
		if ip > 0 {
			*parts = append(*parts, WeakPart{Kind: "ip", Weight: ip, Values: ipVals})
		}
		if photo > 0 {
			*parts = append(*parts, photoPart)
		}
		if resume > 0 {
			*parts = append(*parts, resumePart)
		}
		if profile > 0 {
			*parts = append(*parts, WeakPart{Kind: "profile", Weight: profile, Values: profileVals})
		}
		if name > 0 {
			*parts = append(*parts, WeakPart{Kind: "name", Weight: name, Values: []string{g.subjects[a].name}})
		}
	}
	return total
}

func (g *Graph) pairValues(x, y int32) []string {
	if x == y {
		return []string{g.identValue(x)}
	}
	return []string{g.identValue(x), g.identValue(y)}
}

// within reports whether two uses of one address were at most window
// seconds apart; undated uses count as together.
func within(a, b *holding, window uint32) bool {
	if a.first == 0 || b.first == 0 {
		return true
	}
	lo, hi := a.first, a.last
	if b.first > lo {
		lo = b.first
	}
	if b.last < hi {
		hi = b.last
	}
	return lo <= hi || lo-hi <= window
}
