package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"molehunt"
	"molehunt/enrich"
	"molehunt/link"
	"molehunt/screening"
)

// linkSummary is what `molehunt link rebuild --json` prints.
type linkSummary struct {
	Stats          link.Stats            `json:"stats"`
	Networks       []link.Cluster        `json:"networks"`       // clusters with at least one signal
	Households     int                   `json:"households"`     // clusters taken for families
	Quiet          int                   `json:"quiet_clusters"` // other clusters, without a signal
	Infrastructure []link.Infrastructure `json:"infrastructure"` // shared identifiers that do not join, and outliers
	Seconds        float64               `json:"seconds"`
}

// link runs the identity graph over the store: molehunt link rebuild
// [--data DIR] [--db URL] [--json] reads every subject and its events and
// prints the clusters reported as networks.
func (m *Main) link(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "rebuild" {
		return usagef("link: want a subcommand: rebuild")
	}
	fs := m.flagSet("link rebuild")
	data := fs.String("data", "", "data directory (holds the SQLite database unless --db says otherwise)")
	db := fs.String("db", "", "store: a postgres:// URL, or empty for SQLite in the data directory (default $MOLEHUNT_DB)")
	asJSON := fs.Bool("json", false, "print one JSON object with the clusters")
	capFlag := fs.Int("cap", 8, "identifiers held by more subjects than this are shared infrastructure and join nobody")
	referrals := fs.Bool("join-referrals", false, "let referrals join subjects (they are always shown as evidence)")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("link rebuild: unexpected argument %q", rest[0])
	}
	if *capFlag < 1 {
		return usagef("link rebuild: --cap must be at least 1")
	}
	dir, err := m.dataDir(*data)
	if err != nil {
		return err
	}
	store, err := m.openStore(ctx, dir, *db)
	if err != nil {
		return err
	}
	defer store.Close()

	began := m.Now()
	classify, err := ipClassifier()
	if err != nil {
		return err
	}
	g := link.New(link.Config{Cap: *capFlag, JoinReferrals: *referrals, Normalize: screening.NormalizeName, ClassifyIP: classify})
	q := molehunt.SubjectQuery{Limit: molehunt.MaxPageLimit}
	for {
		page, err := store.ListSubjects(ctx, q)
		if err != nil {
			return fmt.Errorf("link: list subjects: %w", err)
		}
		for _, s := range page.Subjects {
			events, err := subjectEvents(ctx, store, s.ID)
			if err != nil {
				return err
			}
			if err := g.Add(s, events); err != nil {
				return fmt.Errorf("link: %w", err)
			}
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	g.Rebuild()
	sum := linkSummary{Stats: g.Stats(), Infrastructure: g.Infrastructure(), Networks: []link.Cluster{}}
	for _, c := range g.Clusters() {
		switch {
		case len(c.Signals) > 0:
			sum.Networks = append(sum.Networks, c)
		case c.Household:
			sum.Households++
		default:
			sum.Quiet++
		}
	}
	sum.Seconds = m.Now().Sub(began).Seconds()
	if *asJSON {
		return writeJSONTo(m.Stdout, sum)
	}
	fmt.Fprintf(m.Stdout, "%d subjects, %d identifiers: %d clusters (%d reported as networks, %d households, %d quiet); %d shared identifiers do not join (%.1fs)\n",
		sum.Stats.Subjects, sum.Stats.Identifiers, sum.Stats.Clusters, len(sum.Networks), sum.Households, sum.Quiet, countCapped(sum.Infrastructure), sum.Seconds)
	for _, c := range sum.Networks {
		var codes []string
		for _, s := range c.Signals {
			codes = append(codes, s.Code)
		}
		fmt.Fprintf(m.Stdout, "\n%s  %d subjects  %s\n", c.ID, len(c.Subjects), strings.Join(codes, ", "))
		for _, s := range c.Signals {
			fmt.Fprintf(m.Stdout, "  %.2f %s\n", s.Strength, s.Sentence)
		}
		fmt.Fprintf(m.Stdout, "  subjects: %s\n", strings.Join(c.Subjects, " "))
	}
	return nil
}

func countCapped(inf []link.Infrastructure) int {
	n := 0
	for _, i := range inf {
		if i.Reason != "outlier" {
			n++
		}
	}
	return n
}

// subjectEvents reads every event of one subject, page by page.
func subjectEvents(ctx context.Context, store molehunt.EventStore, id string) ([]molehunt.Event, error) {
	var out []molehunt.Event
	q := molehunt.EventQuery{SubjectID: id, Limit: molehunt.MaxPageLimit}
	for {
		page, err := store.Events(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("link: events of %s: %w", id, err)
		}
		for _, e := range page.Events {
			e.Raw = nil // the graph needs the parsed fields only
			out = append(out, e)
		}
		if page.Next == "" {
			return out, nil
		}
		q.After = page.Next
	}
}

// ipClassifier classifies login addresses with the embedded network data,
// so that only residential addresses count as two people at one place:
// hosting, VPN, Tor and carrier exits are shared by strangers, and private
// addresses are an office's own network.
func ipClassifier() (link.IPClassifier, error) {
	e, err := enrich.New(enrich.Options{})
	if err != nil {
		return nil, fmt.Errorf("link: load network data: %w", err)
	}
	return func(a netip.Addr) link.IPClass {
		switch e.IP(a).Class {
		case enrich.ClassResidential:
			return link.IPResidential
		case enrich.ClassHosting, enrich.ClassDPRK:
			return link.IPHosting
		case enrich.ClassVPN, enrich.ClassTor:
			return link.IPVPN
		case enrich.ClassMobile:
			return link.IPMobile
		case enrich.ClassPrivate:
			return link.IPCorporate
		}
		return link.IPUnknown
	}, nil
}
