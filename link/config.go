// Package link builds molehunt's identity graph: subjects joined through
// the canonical identifiers they share (bank accounts, devices, phones,
// government-ID digests, MFA authenticators, equipment shipping addresses,
// referrals) and weighted by weaker evidence (residential IPs seen in the
// same time window, near-duplicate photos and resumes, equal names). It
// clusters subjects with a union-find, keeps the evidence path of every
// cluster, updates incrementally as records arrive, and turns clusters into
// signals of the linkage family: laptop farm, payment hub, shared device or
// authenticator, identity reuse, resume or photo reuse.
//
// The graph is laid out for a million subjects on one machine: subjects
// and identifiers are int32 indexes, identifier values live in chunked
// string arenas, holdings are one flat slice threaded into per-subject and
// per-identifier lists, and the union-find is three int32 slices. No heap
// object is made per edge.
package link

import (
	"net/netip"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"molehunt"
)

// NameNormalizer folds a person's or account holder's name to the form
// names are compared in. cmd wires screening.NormalizeName; link does not
// import screening (a capability never imports another).
type NameNormalizer func(string) string

// IPClass is what kind of network an IP address belongs to.
type IPClass uint8

// The IP classes. Only residential addresses are evidence that two people
// sit at one place: hosting, VPN, corporate and mobile (carrier NAT) exits
// are shared by strangers.
const (
	IPUnknown IPClass = iota
	IPResidential
	IPHosting
	IPVPN
	IPCorporate
	IPMobile
)

// IPClassifier tells the class of an address; cmd wires the enrichment's
// ASN data. Without one every address counts as IPUnknown.
type IPClassifier func(netip.Addr) IPClass

// Weights are the weights of weak evidence between two subjects. Two
// subjects are joined when the sum of their weak evidence reaches
// Config.JoinThreshold.
type Weights struct {
	// IP is added for each residential address both subjects used within
	// Config.IPWindow of each other, up to IPMax in all, so that logins
	// alone never reach the threshold.
	IP, IPMax float64
	// PhotoExact and PhotoNear weigh equal perceptual hashes and hashes
	// within Config.PhotoMaxDistance bits.
	PhotoExact, PhotoNear float64
	// ResumeExact and ResumeNear weigh equal MinHash signatures and ones
	// agreeing in at least Config.ResumeMinAgree of their values.
	ResumeExact, ResumeNear float64
	// Profile is added when both claim one profile link (GitHub,
	// LinkedIn): claimed, never verified, and namesakes' handles collide.
	Profile float64
	// Name is added when the normalised primary names are equal and some
	// other weak evidence exists; a name alone is never a candidate.
	Name float64
}

// Config says how the graph joins. The zero value means the defaults.
type Config struct {
	// Cap is the most subjects an identifier may join: one held by more is
	// shared infrastructure (an office address, a payroll provider's pooled
	// account, a corporate egress) and joins nobody. Default 8.
	Cap int
	// KindCaps overrides Cap for some kinds.
	KindCaps map[molehunt.IdentifierKind]int
	// Infrastructure lists identifiers known to be shared (the company's
	// own offices, its payroll provider); they never join.
	Infrastructure []molehunt.Identifier
	// JoinReferrals makes a referral (who referred whom) join the two
	// subjects. Off by default: ordinary employees refer friends, and a
	// referral is better shown as evidence next to a cluster than used to
	// grow it; on, a referrer with more than Cap referrals is treated as
	// infrastructure like any other identifier.
	JoinReferrals bool
	// JoinThreshold is the weak-evidence sum that joins two subjects.
	// Default 1.
	JoinThreshold float64
	Weights       Weights
	// IPWindow is how close in time two subjects' use of an address must
	// be to count as co-occurrence. Default 7 days.
	IPWindow time.Duration
	// ClassifyIP classifies addresses; when nil every address is unknown.
	ClassifyIP IPClassifier
	// UnknownIPs lets addresses of unknown class count as residential.
	// It is on when ClassifyIP is nil (the frequency cap still removes
	// offices and exits shared by many) and off when a classifier exists.
	UnknownIPs *bool
	// PhotoMaxDistance is the Hamming distance (at most 3) within which two
	// 64-bit photo hashes are near-duplicates. Default 3.
	PhotoMaxDistance int
	// ResumeMinAgree is the share of MinHash values two resume signatures
	// must agree in to be near-duplicates. Default 0.75.
	ResumeMinAgree float64
	// Household is the largest group at one claimed home that is taken for
	// a family rather than a farm. Default 4.
	Household int
	// Normalize folds names; default upper-case letters and digits only.
	Normalize NameNormalizer
}

// DefaultWeights are the weights used when Config.Weights is zero.
var DefaultWeights = Weights{IP: 0.3, IPMax: 0.6, PhotoExact: 1, PhotoNear: 0.7, ResumeExact: 0.8, ResumeNear: 0.6, Profile: 0.6, Name: 0.2}

func (c Config) withDefaults() Config {
	if c.Cap <= 0 {
		c.Cap = 8
	}
	if c.JoinThreshold <= 0 {
		c.JoinThreshold = 1
	}
	if c.Weights == (Weights{}) {
		c.Weights = DefaultWeights
	}
	if c.IPWindow <= 0 {
		c.IPWindow = 7 * 24 * time.Hour
	}
	if c.PhotoMaxDistance <= 0 || c.PhotoMaxDistance > 3 {
		c.PhotoMaxDistance = 3
	}
	if c.ResumeMinAgree <= 0 || c.ResumeMinAgree > 1 {
		c.ResumeMinAgree = 0.75
	}
	if c.Household <= 0 {
		c.Household = 4
	}
	if c.Normalize == nil {
		c.Normalize = foldName
	}
	if c.UnknownIPs == nil {
		v := c.ClassifyIP == nil
		c.UnknownIPs = &v
	}
	return c
}

// foldName is the default NameNormalizer: accents removed, upper-case
// letters and digits, single spaces.
func foldName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToUpper(r))
			continue
		}
		if r != '\'' {
			space = true
		}
	}
	return b.String()
}
