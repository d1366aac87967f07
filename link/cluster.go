package link

import (
	"math"
	"sort"
	"time"

	"molehunt"
)

// Holder is one subject's holding of a shared identifier: where it was
// seen and when.
type Holder struct {
	Subject string   `json:"subject"`
	Sources []string `json:"sources"`
	// First and Last are the first and last event that showed the holding;
	// zero when only the subject's own record did.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Claimed: in the subject's own record; Shipped: equipment was shipped
	// there for the subject; Paid: the subject was paid into it.
	Claimed bool `json:"claimed,omitempty"`
	Shipped bool `json:"shipped,omitempty"`
	Paid    bool `json:"paid,omitempty"`
}

// Link is a shared identifier that joins the subjects of a cluster.
type Link struct {
	// Identifier may be of a link-internal kind (KindAccountHolder,
	// KindReferral) besides the domain's.
	Identifier molehunt.Identifier `json:"identifier"`
	Holders    []Holder            `json:"holders"`
	// Joins is false for evidence shown beside the cluster that did not
	// join it (a referral when referrals do not join).
	Joins bool `json:"joins"`
}

// WeakLink is weak evidence between two subjects of a cluster.
type WeakLink struct {
	A     string     `json:"a"`
	B     string     `json:"b"`
	Score float64    `json:"score"`
	Joins bool       `json:"joins"` // the score reached the threshold
	Parts []WeakPart `json:"parts"`
}

// Cluster is a set of subjects joined by what they share, with the
// evidence path: which identifier joined whom, from which source, first
// and last seen.
type Cluster struct {
	// ID is "cluster:" and the least subject id, stable while the members
	// stay the same.
	ID       string     `json:"id"`
	Subjects []string   `json:"subjects"`
	Links    []Link     `json:"links"`
	Weak     []WeakLink `json:"weak,omitempty"`
	// Household is set for a small group joined only through a home they
	// all claim (and the accounts they hold jointly): a family, not a
	// network.
	Household bool     `json:"household,omitempty"`
	Signals   []Signal `json:"signals,omitempty"`
}

// Clusters returns every cluster of two or more subjects, largest first
// (then by ID), each with its evidence and signals.
func (g *Graph) Clusters() []Cluster {
	var out []Cluster
	for i := range g.parent {
		if g.parent[i] == int32(i) && g.size[i] > 1 {
			out = append(out, g.cluster(int32(i)))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Subjects) != len(out[j].Subjects) {
			return len(out[i].Subjects) > len(out[j].Subjects)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// ClusterOf returns the cluster of a subject; ok is false for an unknown
// subject. A subject joined to nobody is a cluster of one.
func (g *Graph) ClusterOf(subjectID string) (Cluster, bool) {
	si, ok := g.subjIndex[subjectID]
	if !ok {
		return Cluster{}, false
	}
	return g.cluster(g.find(si)), true
}

func (g *Graph) members(root int32) []int32 {
	var out []int32
	m := root
	for {
		out = append(out, m)
		m = g.ring[m]
		if m == root {
			return out
		}
	}
}

func (g *Graph) holder(h *holding) Holder {
	hd := Holder{Subject: g.subjects[h.subj].id, Claimed: h.flags&flagClaimed != 0, Shipped: h.flags&flagShipped != 0, Paid: h.flags&flagPaid != 0}
	for i, s := range g.sources {
		if i > 31 {
			break
		}
		if h.src&(1<<uint(i)) != 0 {
			hd.Sources = append(hd.Sources, s)
		}
	}
	if h.first != 0 {
		hd.First = time.Unix(int64(h.first), 0).UTC()
		hd.Last = time.Unix(int64(h.last), 0).UTC()
	}
	return hd
}

func (g *Graph) cluster(root int32) Cluster {
	ms := g.members(root)
	in := make(map[int32]bool, len(ms))
	for _, m := range ms {
		in[m] = true
	}
	c := Cluster{}
	for _, m := range ms {
		c.Subjects = append(c.Subjects, g.subjects[m].id)
	}
	sort.Strings(c.Subjects)
	c.ID = "cluster:" + c.Subjects[0]
	// Strong links: identifiers two or more members hold.
	done := make(map[int32]bool)
	for _, m := range ms {
		for h := g.subjects[m].head; h >= 0; h = g.holdings[h].nextS {
			x := g.holdings[h].ident
			k := g.identKind[x]
			if done[x] || g.identDeg[x] < 2 || g.identFlag[x]&identInfra != 0 || k == kIP || k == kPhoto || k == kResume {
				continue
			}
			done[x] = true
			var hs []Holder
			for k := g.identHead[x]; k >= 0; k = g.holdings[k].nextI {
				if in[g.holdings[k].subj] {
					hs = append(hs, g.holder(&g.holdings[k]))
				}
			}
			if len(hs) < 2 {
				continue
			}
			sort.Slice(hs, func(i, j int) bool { return hs[i].Subject < hs[j].Subject })
			c.Links = append(c.Links, Link{Identifier: g.identifier(x), Holders: hs, Joins: g.joins(x)})
		}
	}
	sort.Slice(c.Links, func(i, j int) bool {
		a, b := c.Links[i].Identifier, c.Links[j].Identifier
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Value < b.Value
	})
	// Weak links between members.
	for _, m := range ms {
		var cands []int32
		g.candidates(m, func(t int32) {
			if in[t] && g.subjects[t].id > g.subjects[m].id {
				cands = append(cands, t)
			}
		})
		seen := make(map[int32]bool)
		for _, t := range cands {
			if seen[t] {
				continue
			}
			seen[t] = true
			var parts []WeakPart
			s := g.score(m, t, &parts)
			if s > 0 {
				c.Weak = append(c.Weak, WeakLink{A: g.subjects[m].id, B: g.subjects[t].id, Score: round3(s), Joins: s >= g.cfg.JoinThreshold, Parts: parts})
			}
		}
	}
	sort.Slice(c.Weak, func(i, j int) bool {
		if c.Weak[i].A != c.Weak[j].A {
			return c.Weak[i].A < c.Weak[j].A
		}
		return c.Weak[i].B < c.Weak[j].B
	})
	g.signals(&c, ms)
	return c
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// Infrastructure is an identifier recognised as shared by many, with why.
type Infrastructure struct {
	Identifier molehunt.Identifier `json:"identifier"`
	Subjects   int                 `json:"subjects"`
	// Reason is "cap" (held by more subjects than the cap: does not join),
	// "configured" (listed in Config.Infrastructure: does not join) or
	// "outlier" (under the cap but far above what its kind usually shows:
	// still joins, reported for an analyst to confirm or list).
	Reason string `json:"reason"`
}

// Infrastructure lists the identifiers that do not join because too many
// subjects hold them, and those whose degree is an outlier for their kind
// though under the cap, most held first.
//
// Outliers are reported, not removed: a laptop farm's address is itself a
// degree outlier among addresses, so removing outliers automatically would
// hide the very networks the graph is for.
func (g *Graph) Infrastructure() []Infrastructure {
	// Per kind: mean and spread of the degree of shared identifiers.
	var n, sum, sq [32]float64
	for x, d := range g.identDeg {
		if d >= 2 && g.identFlag[x]&identInfra == 0 {
			k := g.identKind[x]
			n[k]++
			sum[k] += float64(d)
			sq[k] += float64(d) * float64(d)
		}
	}
	var out []Infrastructure
	for x, d := range g.identDeg {
		f := g.identFlag[x]
		k := g.identKind[x]
		var reason string
		switch {
		case f&identConfigured != 0:
			reason = "configured"
		case f&identInfra != 0:
			reason = "cap"
		case d >= 4 && n[k] >= 20:
			mean := sum[k] / n[k]
			sd := sq[k]/n[k] - mean*mean
			if sd < 0 {
				sd = 0
			}
			if float64(d) > mean+4*math.Sqrt(sd) {
				reason = "outlier"
			}
		}
		if reason != "" {
			out = append(out, Infrastructure{Identifier: g.identifier(int32(x)), Subjects: int(d), Reason: reason})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Subjects != out[j].Subjects {
			return out[i].Subjects > out[j].Subjects
		}
		return out[i].Identifier.String() < out[j].Identifier.String()
	})
	return out
}
