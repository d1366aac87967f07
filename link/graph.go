package link

import (
	"encoding/hex"
	"math"
	"net/netip"
	"strings"
	"time"
	"unsafe"

	"molehunt"
	"molehunt/ident"
)

// Link-internal identifier kinds, beside the domain's. They appear in
// evidence but are never stored as a subject's identifiers.
const (
	// KindAccountHolder is the normalised holder name of an account a
	// subject is paid into when the holder is not the subject: accounts of
	// one facilitator join through it.
	KindAccountHolder molehunt.IdentifierKind = "account_holder"
	// KindReferral is the referrer's source id ("E100001"): the referrer
	// and everyone they referred hold it.
	KindReferral molehunt.IdentifierKind = "referral"
)

// kinds maps a kind to its small index; the order is fixed.
var kinds = append(append([]molehunt.IdentifierKind{}, molehunt.IdentifierKinds...), KindAccountHolder, KindReferral)

var kindIndex = func() map[molehunt.IdentifierKind]uint8 {
	m := make(map[molehunt.IdentifierKind]uint8, len(kinds))
	for i, k := range kinds {
		m[k] = uint8(i)
	}
	return m
}()

var (
	kIP       = kindIndex[molehunt.IDIP]
	kPhoto    = kindIndex[molehunt.IDPhotoHash]
	kResume   = kindIndex[molehunt.IDResumeFingerprint]
	kAddress  = kindIndex[molehunt.IDPostalAddress]
	kBank     = kindIndex[molehunt.IDBankAccount]
	kHolder   = kindIndex[KindAccountHolder]
	kReferral = kindIndex[KindReferral]
	kLogin    = kindIndex[molehunt.IDLogin]
	kProfile  = kindIndex[molehunt.IDProfileURL]
)

// Holding flags: how a subject came to hold an identifier.
const (
	flagClaimed uint8 = 1 << iota // in the subject's own record
	flagShipped                   // equipment was shipped to this address for the subject
	flagPaid                      // the subject was paid into this account
	flagEvent                     // seen in an event
)

// holding is one subject holding one identifier: a graph edge, threaded
// into the subject's list (nextS) and the identifier's list (nextI).
type holding struct {
	subj, ident  int32
	nextS, nextI int32
	first, last  uint32 // Unix seconds; 0 when no event dated it
	src          uint32 // bit i: source i (bit 31: any later source)
	flags        uint8
}

type subject struct {
	id   string
	name string // normalised primary name
	dob  string
	head int32 // first holding, -1 for none
}

// Graph is the identity graph. It is not safe for concurrent use: the
// caller serialises Add, Rebuild and the queries.
type Graph struct {
	cfg Config

	subjIndex map[string]int32
	subjects  []subject

	identIndex map[string]int32 // kind byte + value, arena-backed
	identKey   []string         // the same keys, by index
	identKind  []uint8
	identHead  []int32
	identDeg   []int32
	identFlag  []uint8 // identInfra, identConfigured, IP class in the high bits
	arena      arena

	holdings []holding

	// Union-find over subjects, with a ring of members per set so that a
	// cluster's members are found without a scan.
	parent, size, ring []int32

	sources   []string
	sourceIdx map[string]uint32

	// photo and resume similarity indexes: chained buckets in flat slices.
	photoBits   map[int32]uint64
	photoBucket map[uint32]int32 // block number<<16 | block value → first entry
	resumeSig   map[int32][2]int32
	resumeVals  []uint32
	resumeBkt   map[uint64]int32 // band<<32 | value → first entry
	bktIdent    []int32
	bktNext     []int32

	holderName map[int32]string // bank account → first holder name seen
	caps       [32]int32

	// scratch, reused between calls
	obsBuf  []obs
	seen    map[int32]struct{}
	touched []int32
}

const (
	identInfra      uint8 = 1 << 0
	identConfigured uint8 = 1 << 1
	ipClassShift          = 4
)

// New returns an empty graph.
func New(cfg Config) *Graph {
	cfg = cfg.withDefaults()
	g := &Graph{
		cfg:         cfg,
		subjIndex:   make(map[string]int32),
		identIndex:  make(map[string]int32),
		sourceIdx:   make(map[string]uint32),
		photoBits:   make(map[int32]uint64),
		photoBucket: make(map[uint32]int32),
		resumeSig:   make(map[int32][2]int32),
		resumeBkt:   make(map[uint64]int32),
		holderName:  make(map[int32]string),
		seen:        make(map[int32]struct{}),
	}
	for i, k := range kinds {
		c := cfg.Cap
		if v, ok := cfg.KindCaps[k]; ok && v > 0 {
			c = v
		}
		g.caps[i] = int32(c)
	}
	for _, id := range cfg.Infrastructure {
		if k, ok := kindIndex[id.Kind]; ok {
			x := g.intern(k, canonicalValue(k, id.Value))
			g.identFlag[x] |= identConfigured | identInfra
		}
	}
	return g
}

// Grow reserves room for about subjects subjects and identifiers
// identifiers, so that a bulk load does not re-grow its tables.
func (g *Graph) Grow(subjects, identifiers int) {
	if len(g.subjects) == 0 && len(g.subjIndex) == 0 {
		g.subjIndex = make(map[string]int32, subjects)
		g.subjects = make([]subject, 0, subjects)
		g.parent = make([]int32, 0, subjects)
		g.size = make([]int32, 0, subjects)
		g.ring = make([]int32, 0, subjects)
	}
	if len(g.identKind) == 0 {
		g.identIndex = make(map[string]int32, identifiers)
		g.identKind = make([]uint8, 0, identifiers)
		g.identKey = make([]string, 0, identifiers)
		g.identHead = make([]int32, 0, identifiers)
		g.identDeg = make([]int32, 0, identifiers)
		g.identFlag = make([]uint8, 0, identifiers)
		g.holdings = make([]holding, 0, identifiers+identifiers/8)
	}
}

// arena keeps identifier keys in large chunks, so that ten million keys are
// a few hundred allocations instead of ten million. A chunk is never
// appended past its capacity, so the strings made over it stay valid.
type arena struct{ cur []byte }

func (a *arena) add(kind uint8, v string) string {
	n := 1 + len(v)
	if cap(a.cur)-len(a.cur) < n {
		c := 1 << 20
		if n > c {
			c = n
		}
		a.cur = make([]byte, 0, c)
	}
	start := len(a.cur)
	a.cur = append(a.cur, kind)
	a.cur = append(a.cur, v...)
	b := a.cur[start:len(a.cur):len(a.cur)]
	return unsafe.String(&b[0], len(b))
}

// lookupKey builds the map key of (kind, value) in buf without allocating.
func lookupKey(buf []byte, kind uint8, v string) []byte {
	buf = append(buf[:0], kind)
	return append(buf, v...)
}

func (g *Graph) intern(kind uint8, v string) int32 {
	var buf [128]byte
	key := lookupKey(buf[:0], kind, v)
	if x, ok := g.identIndex[string(key)]; ok {
		return x
	}
	s := g.arena.add(kind, v)
	x := int32(len(g.identKind))
	g.identIndex[s] = x
	g.identKey = append(g.identKey, s)
	g.identKind = append(g.identKind, kind)
	g.identHead = append(g.identHead, -1)
	g.identDeg = append(g.identDeg, 0)
	var flag uint8
	switch kind {
	case kIP:
		flag = uint8(g.classify(v)) << ipClassShift
	case kPhoto:
		g.indexPhoto(x, v)
	case kResume:
		g.indexResume(x, v)
	}
	g.identFlag = append(g.identFlag, flag)
	return x
}

func (g *Graph) classify(v string) IPClass {
	if g.cfg.ClassifyIP == nil {
		return IPUnknown
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return IPUnknown
	}
	return g.cfg.ClassifyIP(a)
}

// identValue returns an identifier's value (its key without the kind byte).
func (g *Graph) identValue(x int32) string { return g.identKey[x][1:] }

func (g *Graph) identifier(x int32) molehunt.Identifier {
	return molehunt.Identifier{Kind: kinds[g.identKind[x]], Value: g.identValue(x)}
}

func (g *Graph) source(s molehunt.Source) uint32 {
	if b, ok := g.sourceIdx[string(s)]; ok {
		return b
	}
	i := uint32(len(g.sources))
	g.sources = append(g.sources, string(s))
	if i > 31 {
		i = 31
	}
	b := uint32(1) << i
	g.sourceIdx[string(s)] = b
	return b
}

// joins reports whether identifier x may join its holders directly.
func (g *Graph) joins(x int32) bool {
	if g.identFlag[x]&identInfra != 0 {
		return false
	}
	switch g.identKind[x] {
	case kIP, kPhoto, kResume, kProfile:
		return false
	case kReferral:
		return g.cfg.JoinReferrals
	case kLogin:
		// A login without a domain is a local account name ("jsmith" on
		// a laptop, a shipping export's username): unique on one machine,
		// shared by every J. Smith across the company.
		return strings.IndexByte(g.identKey[x], '@') >= 0
	}
	return true
}

// ipCounts reports whether IP identifier x is evidence of a shared place.
func (g *Graph) ipCounts(x int32) bool {
	if g.identFlag[x]&identInfra != 0 {
		return false
	}
	switch IPClass(g.identFlag[x] >> ipClassShift) {
	case IPResidential:
		return true
	case IPUnknown:
		return *g.cfg.UnknownIPs
	}
	return false
}

// obs is one identifier observed for the subject being added.
type obs struct {
	kind  uint8
	value string
	src   uint32
	t     uint32
	flags uint8
}

func unixSeconds(t time.Time) uint32 {
	if t.IsZero() {
		return 0
	}
	s := t.Unix()
	switch {
	case s < 1:
		return 1
	case s > math.MaxUint32:
		return math.MaxUint32
	}
	return uint32(s)
}

// canonicalValue re-keys values whose canonical form differs between
// sources: postal addresses written on one line or as fields.
func canonicalValue(kind uint8, v string) string {
	if kind == kAddress {
		if a, err := ident.AddressLine(v); err == nil {
			return a.Full
		}
	}
	return v
}

func addressKey(a molehunt.Address) string {
	line := strings.Join([]string{a.Street, a.City, strings.TrimSpace(a.Region + " " + a.PostalCode), a.Country}, ", ")
	n, err := ident.AddressLine(line)
	if err != nil {
		return ""
	}
	return n.Full
}

// nameMatches reports whether every word of name is in holder: a joint
// account "JOHN DOE & JANE DOE" is John Doe's own.
func nameMatches(holder, name string) bool {
	if name == "" || holder == "" {
		return false
	}
	have := strings.Fields(holder)
	for _, w := range strings.Fields(name) {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Add records a subject and events about it, and updates the clusters
// the new holdings touch. Events whose SubjectID is empty are taken as the
// subject's; an event of another subject is an error (EInvalid). Adding
// is cumulative: a subject added again keeps what it held before
// (Rebuild from the store to forget).
func (g *Graph) Add(s molehunt.Subject, events []molehunt.Event) error {
	if s.ID == "" {
		return molehunt.Errorf(molehunt.EInvalid, "link.Add", "subject without id")
	}
	for i := range events {
		if id := events[i].SubjectID; id != "" && id != s.ID {
			return molehunt.Errorf(molehunt.EInvalid, "link.Add", "event %s belongs to %s, not %s", events[i].ID, id, s.ID)
		}
	}
	si := g.subject(s)
	obsv := g.observe(s, si, events)
	g.touched = g.touched[:0]
	var crossed []int32
	for _, o := range obsv {
		x, fresh, cross := g.hold(si, o)
		if cross {
			crossed = append(crossed, x)
		}
		if fresh {
			g.touched = append(g.touched, x)
		}
	}
	if len(crossed) > 0 {
		// An identifier became infrastructure: the joins it made are void.
		// Recompute the clusters of its holders (and of this subject).
		g.relink(g.membersOf(append(g.holdersOf(crossed), si)))
		return nil
	}
	for _, x := range g.touched {
		if g.joins(x) && g.identDeg[x] > 1 {
			for h := g.identHead[x]; h >= 0; h = g.holdings[h].nextI {
				if o := g.holdings[h].subj; o != si {
					g.union(si, o)
					break
				}
			}
		}
	}
	g.linkWeak(si)
	return nil
}

func (g *Graph) subject(s molehunt.Subject) int32 {
	si, ok := g.subjIndex[s.ID]
	if !ok {
		si = int32(len(g.subjects))
		g.subjIndex[s.ID] = si
		g.subjects = append(g.subjects, subject{id: s.ID, head: -1})
		g.parent = append(g.parent, si)
		g.size = append(g.size, 1)
		g.ring = append(g.ring, si)
	}
	sub := &g.subjects[si]
	if n := s.PrimaryName(); n != "" {
		sub.name = g.cfg.Normalize(n)
	}
	if s.BirthDate != "" {
		sub.dob = s.BirthDate
	}
	return si
}

// observe lists what s and its events say it holds.
func (g *Graph) observe(s molehunt.Subject, si int32, events []molehunt.Event) []obs {
	out := g.obsBuf[:0]
	defer func() { g.obsBuf = out[:0] }()
	subjSrc := g.source("subject")
	if len(s.Sources) > 0 {
		subjSrc = g.source(s.Sources[0].Source)
	}
	hasAddress := false
	for _, id := range s.Identifiers {
		// A subject's identifiers are canonical already (ingestion made
		// them with package ident); only field-wise addresses need keying.
		if k, ok := kindIndex[id.Kind]; ok && id.Value != "" {
			out = append(out, obs{kind: k, value: id.Value, src: subjSrc, flags: flagClaimed})
			hasAddress = hasAddress || k == kAddress
		}
	}
	if !hasAddress {
		for _, a := range s.Addresses {
			if v := addressKey(a); v != "" {
				out = append(out, obs{kind: kAddress, value: v, src: subjSrc, flags: flagClaimed})
			}
		}
	}
	for _, ref := range s.Sources {
		out = append(out, obs{kind: kReferral, value: ref.ID, src: subjSrc, flags: flagClaimed})
	}
	name := g.subjects[si].name
	holder := func(src uint32, t uint32, payee string) {
		if h := g.cfg.Normalize(payee); h != "" && !nameMatches(h, name) {
			out = append(out, obs{kind: kHolder, value: h, src: src, t: t, flags: flagPaid | flagEvent})
		}
	}
	for i := range events {
		e := &events[i]
		src, t := g.source(e.Source), unixSeconds(e.Time)
		for _, id := range e.Actor {
			if k, ok := kindIndex[id.Kind]; ok && id.Value != "" {
				out = append(out, obs{kind: k, value: id.Value, src: src, t: t, flags: flagEvent})
			}
		}
		switch e.Kind {
		case molehunt.EventAuthentication:
			if e.Auth != nil && e.Auth.IP.IsValid() {
				out = append(out, obs{kind: kIP, value: e.Auth.IP.Unmap().String(), src: src, t: t, flags: flagEvent})
			}
		case molehunt.EventPayment:
			if p := e.Payment; p != nil && p.AccountDigest != "" {
				out = append(out, obs{kind: kBank, value: p.AccountDigest, src: src, t: t, flags: flagPaid | flagEvent})
				g.pendingHolder(p.AccountDigest, p.PayeeName)
				holder(src, t, p.PayeeName)
			}
		case molehunt.EventPayrollChange:
			if p := e.PayrollChange; p != nil && p.NewAccountDigest != "" {
				out = append(out, obs{kind: kBank, value: p.NewAccountDigest, src: src, t: t, flags: flagPaid | flagEvent})
				g.pendingHolder(p.NewAccountDigest, p.HolderName)
				holder(src, t, p.HolderName)
			}
		case molehunt.EventShipment:
			if sh := e.Shipment; sh != nil {
				if v := addressKey(sh.Address); v != "" {
					out = append(out, obs{kind: kAddress, value: v, src: src, t: t, flags: flagShipped | flagEvent})
				}
				if sh.Serial != "" {
					out = append(out, obs{kind: kindIndex[molehunt.IDDeviceSerial], value: sh.Serial, src: src, t: t, flags: flagEvent})
				}
			}
		case molehunt.EventHRChange:
			if h := e.HRChange; h != nil && h.Field == "referred_by" {
				if ref := referrerID(h.New); ref != "" {
					out = append(out, obs{kind: kReferral, value: ref, src: src, t: t, flags: flagEvent})
				}
			}
		}
	}
	return out
}

// pendingHolder remembers the holder name of an account (first seen wins).
func (g *Graph) pendingHolder(account, payee string) {
	if payee == "" {
		return
	}
	x := g.intern(kBank, account)
	if _, ok := g.holderName[x]; !ok {
		g.holderName[x] = payee
	}
}

// referrerID finds the referrer's id in an ATS "referred_by" value such as
// "greenhouse user 500001 Álvaro Martín (employee E100001)".
func referrerID(v string) string {
	if _, rest, ok := strings.Cut(v, "(employee "); ok {
		if id, _, ok := strings.Cut(rest, ")"); ok {
			return strings.TrimSpace(id)
		}
	}
	return ""
}

// hold records that subject si holds o, and reports the identifier, whether
// the holding is new and whether it pushed the identifier over its cap.
func (g *Graph) hold(si int32, o obs) (x int32, fresh, crossed bool) {
	x = g.intern(o.kind, o.value)
	for h := g.subjects[si].head; h >= 0; h = g.holdings[h].nextS {
		hp := &g.holdings[h]
		if hp.ident == x {
			hp.src |= o.src
			hp.flags |= o.flags
			if o.t != 0 {
				if hp.first == 0 || o.t < hp.first {
					hp.first = o.t
				}
				if o.t > hp.last {
					hp.last = o.t
				}
			}
			return x, false, false
		}
	}
	h := int32(len(g.holdings))
	g.holdings = append(g.holdings, holding{subj: si, ident: x, nextS: g.subjects[si].head, nextI: g.identHead[x],
		first: o.t, last: o.t, src: o.src, flags: o.flags})
	g.subjects[si].head = h
	g.identHead[x] = h
	g.identDeg[x]++
	if g.identDeg[x] == g.caps[o.kind]+1 && g.identFlag[x]&identInfra == 0 {
		g.identFlag[x] |= identInfra
		return x, true, true
	}
	return x, true, false
}

// holdersOf lists the subjects holding any of xs.
func (g *Graph) holdersOf(xs []int32) []int32 {
	var out []int32
	for _, x := range xs {
		for h := g.identHead[x]; h >= 0; h = g.holdings[h].nextI {
			out = append(out, g.holdings[h].subj)
		}
	}
	return out
}

// membersOf lists every member of the clusters of subjects, once each.
func (g *Graph) membersOf(subjects []int32) []int32 {
	clear(g.seen)
	var out []int32
	for _, s := range subjects {
		r := g.find(s)
		if _, ok := g.seen[r]; ok {
			continue
		}
		g.seen[r] = struct{}{}
		m := r
		for {
			out = append(out, m)
			m = g.ring[m]
			if m == r {
				break
			}
		}
	}
	return out
}

// relink recomputes the clusters of members, a union of whole clusters.
func (g *Graph) relink(members []int32) {
	for _, m := range members {
		g.parent[m], g.size[m], g.ring[m] = m, 1, m
	}
	for _, m := range members {
		g.linkStrong(m)
	}
	for _, m := range members {
		g.linkWeak(m)
	}
}

func (g *Graph) linkStrong(m int32) {
	for h := g.subjects[m].head; h >= 0; h = g.holdings[h].nextS {
		x := g.holdings[h].ident
		if g.identDeg[x] < 2 || !g.joins(x) {
			continue
		}
		// Every holder of a joining identifier ends in one cluster, so
		// joining m to the first other holder is enough.
		for k := g.identHead[x]; k >= 0; k = g.holdings[k].nextI {
			if o := g.holdings[k].subj; o != m {
				g.union(m, o)
				break
			}
		}
	}
}

// Rebuild recomputes every cluster from the holdings: degrees, shared
// infrastructure and the union-find, from scratch. Its result is what the
// incremental updates must equal.
func (g *Graph) Rebuild() {
	for x := range g.identDeg {
		g.identDeg[x] = 0
		if g.identFlag[x]&identConfigured == 0 {
			g.identFlag[x] &^= identInfra
		}
	}
	for i := range g.holdings {
		g.identDeg[g.holdings[i].ident]++
	}
	for x, d := range g.identDeg {
		if d > g.caps[g.identKind[x]] {
			g.identFlag[x] |= identInfra
		}
	}
	for i := range g.parent {
		g.parent[i], g.size[i], g.ring[i] = int32(i), 1, int32(i)
	}
	for m := range g.subjects {
		g.linkStrong(int32(m))
	}
	for m := range g.subjects {
		g.linkWeak(int32(m))
	}
}

func (g *Graph) find(x int32) int32 {
	for g.parent[x] != x {
		g.parent[x] = g.parent[g.parent[x]]
		x = g.parent[x]
	}
	return x
}

func (g *Graph) union(a, b int32) bool {
	ra, rb := g.find(a), g.find(b)
	if ra == rb {
		return false
	}
	if g.size[ra] < g.size[rb] {
		ra, rb = rb, ra
	}
	g.parent[rb] = ra
	g.size[ra] += g.size[rb]
	g.ring[ra], g.ring[rb] = g.ring[rb], g.ring[ra]
	return true
}

// Stats counts what the graph holds.
type Stats struct {
	Subjects       int `json:"subjects"`
	Identifiers    int `json:"identifiers"`
	Holdings       int `json:"holdings"`
	Infrastructure int `json:"infrastructure"`
	Clusters       int `json:"clusters"` // of two or more subjects
	Clustered      int `json:"clustered"`
}

// Stats counts subjects, identifiers, holdings and clusters.
func (g *Graph) Stats() Stats {
	st := Stats{Subjects: len(g.subjects), Identifiers: len(g.identKind), Holdings: len(g.holdings)}
	for _, f := range g.identFlag {
		if f&identInfra != 0 {
			st.Infrastructure++
		}
	}
	for i := range g.parent {
		if g.parent[i] == int32(i) && g.size[i] > 1 {
			st.Clusters++
			st.Clustered += int(g.size[i])
		}
	}
	return st
}

func hexUint64(s string) (uint64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	var b [8]byte
	if _, err := hex.Decode(b[:], []byte(s)); err != nil {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v, true
}
