package gen_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"molehunt"
	"molehunt/gen"
	"molehunt/ident"
)

func TestTruthMembersAreSubjects(t *testing.T) {
	dir, _, p := small(t)
	tr, err := gen.ReadTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, n := range tr.Networks {
		kinds[n.Kind] = true
		if len(n.Members) == 0 {
			t.Errorf("network %s (%s) has no members", n.ID, n.Kind)
		}
		for _, m := range n.Members {
			if _, ok := p.subjects[m]; !ok {
				t.Errorf("network %s member %s is no ingested subject", n.ID, m)
			}
		}
	}
	for _, k := range []string{gen.KindLaptopFarm, gen.KindPaymentHub, gen.KindStolenIdentity, gen.KindSharedProfile, gen.KindFrontVendor} {
		if !kinds[k] {
			t.Errorf("no %s network planted", k)
		}
	}
	benign := map[string]int{}
	for _, b := range tr.Benign {
		benign[b.Kind] += len(b.Members)
		for _, m := range b.Members {
			if _, ok := p.subjects[m]; !ok {
				t.Errorf("benign %s member %s is no ingested subject", b.Kind, m)
			}
		}
	}
	for _, k := range []string{"family_shared_address", "personal_vpn", "traveller", "mover", "east_asia_resident", "office_network_egress", "payroll_provider_account"} {
		if benign[k] == 0 {
			t.Errorf("no benign %s planted", k)
		}
	}
}

// eventsOf returns the events whose actor holds one of ids, or whose
// subject is one of subjects.
func networkMembers(t *testing.T, tr *gen.Truth, kind string) []string {
	t.Helper()
	for _, n := range tr.Networks {
		if n.Kind == kind {
			return n.Members
		}
	}
	t.Fatalf("no %s network", kind)
	return nil
}

func TestPlantedIndicatorsInEvents(t *testing.T) {
	dir, _, p := small(t)
	tr, err := gen.ReadTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Actor identifiers of each member, from the people export.
	memberOf := map[molehunt.Identifier]string{}
	for id, s := range p.subjects {
		for _, x := range s.Identifiers {
			if x.Kind == molehunt.IDEmail || x.Kind == molehunt.IDLogin || x.Kind == molehunt.IDDeviceSerial {
				memberOf[x] = id
			}
		}
	}
	owner := func(e molehunt.Event) string {
		if e.SubjectID != "" {
			return e.SubjectID
		}
		for _, a := range e.Actor {
			if s, ok := memberOf[a]; ok {
				return s
			}
		}
		return ""
	}
	in := func(xs []string, x string) bool {
		for _, y := range xs {
			if y == x {
				return true
			}
		}
		return false
	}

	t.Run("laptop farm shipments share one residence", func(t *testing.T) {
		farm := networkMembers(t, tr, gen.KindLaptopFarm)
		addrs := map[string]int{}
		for _, e := range p.events {
			if e.Kind == molehunt.EventShipment && in(farm, owner(e)) {
				na, err := ident.Address(e.Shipment.Address)
				if err != nil {
					t.Fatal(err)
				}
				addrs[na.Residence]++
			}
		}
		if len(addrs) != 1 {
			t.Fatalf("farm shipments went to %d residences: %v", len(addrs), addrs)
		}
		for a, n := range addrs {
			if n < 2 {
				t.Errorf("only %d shipment to %s", n, a)
			}
		}
	})
	t.Run("laptop farm logins share the residence IP", func(t *testing.T) {
		farm := networkMembers(t, tr, gen.KindLaptopFarm)
		users := map[string]map[string]bool{}
		for _, e := range p.events {
			if e.Kind == molehunt.EventAuthentication && in(farm, owner(e)) {
				ip := e.Auth.IP.String()
				if users[ip] == nil {
					users[ip] = map[string]bool{}
				}
				users[ip][owner(e)] = true
			}
		}
		max := 0
		for _, u := range users {
			if len(u) > max {
				max = len(u)
			}
		}
		if max < 2 {
			t.Errorf("no IP shared by farm members")
		}
	})
	t.Run("payment hub pays members into one account", func(t *testing.T) {
		hub := networkMembers(t, tr, gen.KindPaymentHub)
		payees := map[string]map[string]bool{}
		for _, e := range p.events {
			if e.Kind == molehunt.EventPayment && in(hub, owner(e)) {
				d := e.Payment.AccountDigest
				if payees[d] == nil {
					payees[d] = map[string]bool{}
				}
				payees[d][owner(e)] = true
			}
		}
		shared := false
		for _, m := range payees {
			shared = shared || len(m) >= 2
		}
		if !shared {
			t.Errorf("no account digest shared by payment-hub members: %d digests", len(payees))
		}
		changes := 0
		for _, e := range p.events {
			if e.Kind == molehunt.EventPayrollChange && in(hub, owner(e)) {
				changes++
			}
		}
		if changes < len(hub) {
			t.Errorf("%d bank changes for %d hub members", changes, len(hub))
		}
	})
	t.Run("IP-KVM USB devices", func(t *testing.T) {
		n := 0
		for _, e := range p.events {
			if e.Kind == molehunt.EventEndpoint && e.Endpoint.Category == molehunt.EndpointUSBDevice &&
				(e.Endpoint.VendorID == "1d6b" && e.Endpoint.ProductID == "0104" || e.Endpoint.VendorID == "1209") {
				n++
			}
		}
		if n == 0 {
			t.Error("no IP-KVM USB event")
		}
	})
	t.Run("remote-access tools", func(t *testing.T) {
		n := 0
		for _, e := range p.events {
			if e.Kind == molehunt.EventEndpoint && e.Endpoint.Category == molehunt.EndpointProcess &&
				(e.Endpoint.Name == "AnyDesk" || e.Endpoint.Name == "AnyDesk.exe") {
				n++
			}
		}
		if n == 0 {
			t.Error("no AnyDesk process event")
		}
	})
	t.Run("stolen identity: one government id digest, two applicants", func(t *testing.T) {
		st := networkMembers(t, tr, gen.KindStolenIdentity)
		gov := map[string]map[string]bool{}
		for _, id := range st {
			for _, x := range p.subjects[id].Identifiers {
				if x.Kind == molehunt.IDGovernmentID {
					if gov[x.Value] == nil {
						gov[x.Value] = map[string]bool{}
					}
					gov[x.Value][id] = true
				}
			}
		}
		ok := false
		for _, m := range gov {
			ok = ok || len(m) == 2
		}
		if !ok {
			t.Errorf("the two applicants share no government id digest")
		}
	})
	t.Run("activity hours of covert workers", func(t *testing.T) {
		var night, all int
		for _, cw := range tr.Covert {
			if !cw.Hired {
				continue
			}
			for _, e := range p.events {
				if e.Kind == molehunt.EventAuthentication && owner(e) == cw.SubjectID {
					all++
					if h := e.Time.UTC().Hour(); h < 11 { // 09:00–18:00 at UTC+8/+9
						night++
					}
				}
			}
		}
		if all == 0 || float64(night)/float64(all) < 0.8 {
			t.Errorf("%d of %d covert logins between 00 and 11 UTC", night, all)
		}
	})
}

// TestNamesNotKeyedOnOrigin checks that covert workers' names come from
// the pool every worker claiming the same country draws from.
func TestNamesNotKeyedOnOrigin(t *testing.T) {
	dir, _, p := small(t)
	tr, err := gen.ReadTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	given, family := gen.NamePool("US")
	set := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	gs, fs := set(given), set(family)
	for _, cw := range tr.Covert {
		n := p.subjects[cw.SubjectID].Names[0]
		if !gs[n.Given] || !fs[n.Family] {
			t.Errorf("covert %s name %q is not from the US pool", cw.SubjectID, n.Full)
		}
	}
	// East Asian names are common among ordinary workers.
	east := set(append(append(familyOf("KR"), familyOf("JP")...), familyOf("CN")...))
	covert := map[string]bool{}
	for _, cw := range tr.Covert {
		covert[cw.SubjectID] = true
	}
	benignEast := 0
	for id, s := range p.subjects {
		if !covert[id] && len(s.Names) > 0 && east[s.Names[0].Family] {
			benignEast++
		}
	}
	if benignEast < 15 {
		t.Errorf("only %d ordinary people with East Asian family names", benignEast)
	}
}

func familyOf(cc string) []string { _, f := gen.NamePool(cc); return f }

func TestDeterministic(t *testing.T) {
	cfg := gen.Config{Workers: 60, Months: 1, Seed: 7}
	a, b := t.TempDir(), t.TempDir()
	if _, err := gen.Generate(context.Background(), cfg, a, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Generate(context.Background(), cfg, b, nil); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(a, "*"))
	if len(files) < 10 {
		t.Fatalf("%d files", len(files))
	}
	for _, f := range files {
		x, _ := os.ReadFile(f)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(f)))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", filepath.Base(f))
		}
	}
	c := t.TempDir()
	cfg.Seed = 8
	if _, err := gen.Generate(context.Background(), cfg, c, nil); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, "okta-system-log.ndjson"))
	y, _ := os.ReadFile(filepath.Join(c, "okta-system-log.ndjson"))
	if bytes.Equal(x, y) {
		t.Error("another seed gave the same Okta log")
	}
}

func TestGenerateRefusesBadConfig(t *testing.T) {
	if _, err := gen.Generate(context.Background(), gen.Config{Workers: 0}, t.TempDir(), nil); err == nil {
		t.Error("Workers 0 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := gen.Generate(ctx, gen.Config{Workers: 50, Months: 1}, t.TempDir(), nil); err == nil {
		t.Error("cancelled context not reported")
	}
}
