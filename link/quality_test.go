package link_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"molehunt"
	"molehunt/link"
)

// TestGeneratedNetworks checks, on a generated organisation, that every
// planted network is one reported cluster (cluster precision and recall
// at least 0.95), that no cluster of benign look-alikes (families at one
// address, joint accounts, office egress, the payroll provider's pooled
// account) is reported as a network, and that the pooled account is
// recognised as shared infrastructure.
func TestGeneratedNetworks(t *testing.T) {
	o := loadOrg(t)
	g := link.New(link.Config{ClassifyIP: o.classifier()})
	o.feed(t, g)
	clusters := g.Clusters()
	var reported []link.Cluster
	for _, c := range clusters {
		if len(c.Signals) > 0 {
			reported = append(reported, c)
		}
	}
	inNetwork := map[string]string{}
	for _, n := range o.truth.Networks {
		for _, m := range n.Members {
			inNetwork[m] = n.ID
		}
	}
	var sumP, sumR float64
	var nets int
	for _, n := range o.truth.Networks {
		if len(n.Members) < 2 {
			continue // a sanctioned vendor alone: screening's, not linking's
		}
		nets++
		want := map[string]bool{}
		for _, m := range n.Members {
			want[m] = true
		}
		var best link.Cluster
		bestHit := 0
		for _, c := range reported {
			hit := 0
			for _, s := range c.Subjects {
				if want[s] {
					hit++
				}
			}
			if hit > bestHit {
				best, bestHit = c, hit
			}
		}
		p, r := 0.0, float64(bestHit)/float64(len(n.Members))
		if bestHit > 0 {
			p = float64(bestHit) / float64(len(best.Subjects))
		}
		sumP += p
		sumR += r
		var codes []string
		for _, s := range best.Signals {
			codes = append(codes, s.Code)
		}
		t.Logf("%s %-20s members %d, cluster %d, precision %.2f recall %.2f, signals %v", n.ID, n.Kind, len(n.Members), len(best.Subjects), p, r, codes)
		if p < 0.95 || r < 0.95 {
			t.Errorf("%s (%s): precision %.2f, recall %.2f; want ≥ 0.95 each\nmembers %v\ncluster %v", n.ID, n.Kind, p, r, n.Members, best.Subjects)
		}
	}
	if nets == 0 {
		t.Fatal("no planted network of two or more members")
	}
	t.Logf("planted networks: %d, mean cluster precision %.3f, recall %.3f; %d clusters, %d reported", nets, sumP/float64(nets), sumR/float64(nets), len(clusters), len(reported))

	// No reported network may be made of people outside the planted ones.
	for _, c := range reported {
		planted := 0
		for _, s := range c.Subjects {
			if inNetwork[s] != "" {
				planted++
			}
		}
		if planted*2 <= len(c.Subjects) {
			t.Errorf("cluster %s of %d subjects (%d planted) reported as a network: %+v", c.ID, len(c.Subjects), planted, c.Signals)
		}
	}
	// Benign look-alikes: never two of a group in one reported cluster.
	of := map[string]string{}
	for _, c := range reported {
		for _, s := range c.Subjects {
			of[s] = c.ID
		}
	}
	households := 0
	for _, c := range clusters {
		if c.Household {
			households++
		}
	}
	for _, b := range o.truth.Benign {
		switch b.Kind {
		case "family_shared_address", "joint_bank_account", "office_network_egress", "payroll_provider_account":
		default:
			continue
		}
		seen := map[string]int{}
		for _, m := range b.Members {
			if id := of[m]; id != "" && inNetwork[m] == "" {
				seen[id]++
				if seen[id] == 2 {
					t.Errorf("benign %s (%s) reported as a network in %s", b.Kind, b.Detail, id)
				}
			}
		}
	}
	t.Logf("households recognised: %d", households)
	var capped int
	for _, inf := range g.Infrastructure() {
		if inf.Reason == "cap" {
			capped++
		}
		if inf.Identifier.Kind == molehunt.IDBankAccount && inf.Subjects > 50 && inf.Reason != "cap" {
			t.Errorf("pooled account held by %d subjects: reason %q; want cap", inf.Subjects, inf.Reason)
		}
	}
	t.Logf("shared infrastructure (over the cap): %d identifiers", capped)
}

// summary is what incremental and rebuilt graphs must agree on.
type summary struct {
	ID       string
	Subjects []string
	Links    int
	Weak     int
	Signals  []string
}

func summarise(g *link.Graph) []summary {
	var out []summary
	for _, c := range g.Clusters() {
		s := summary{ID: c.ID, Subjects: c.Subjects, Links: len(c.Links), Weak: len(c.Weak)}
		for _, sg := range c.Signals {
			s.Signals = append(s.Signals, sg.Code)
		}
		out = append(out, s)
	}
	return out
}

// TestIncrementalEqualsRebuild feeds the generated organisation in a
// shuffled order, each subject's events split across two visits, and
// checks that the clusters equal those of a rebuild from scratch.
func TestIncrementalEqualsRebuild(t *testing.T) {
	o := loadOrg(t)
	cfg := link.Config{ClassifyIP: o.classifier()}

	inc := link.New(cfg)
	rng := rand.New(rand.NewPCG(1, 2))
	order := rng.Perm(len(o.subjects))
	for pass := 0; pass < 2; pass++ {
		for _, i := range order {
			s := o.subjects[i]
			evs := o.events[s.ID]
			half := len(evs) / 2
			part := evs[:half]
			if pass == 1 {
				part = evs[half:]
			}
			if err := inc.Add(s, part); err != nil {
				t.Fatal(err)
			}
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	got := summarise(inc)

	rebuilt := link.New(cfg)
	o.feed(t, rebuilt)
	rebuilt.Rebuild()
	want := summarise(rebuilt)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("incremental clusters differ from a rebuild (-rebuild +incremental):\n%s", diff)
	}
	inc.Rebuild()
	if diff := cmp.Diff(got, summarise(inc)); diff != "" {
		t.Errorf("rebuild changed the incremental result (-before +after):\n%s", diff)
	}
	t.Logf("%d clusters agree; %+v", len(got), inc.Stats())
}
