package link_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"molehunt"
	"molehunt/gen"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/formats"
	"molehunt/link"
)

// org is a generated organisation parsed with the real ingestion parsers,
// with events resolved to subjects the way the ingest runner does.
type org struct {
	truth    *gen.Truth
	subjects []molehunt.Subject          // in id order
	events   map[string][]molehunt.Event // by subject id, in input order
	ipClass  map[netip.Addr]link.IPClass // from Okta's securityContext
}

var (
	orgOnce sync.Once
	orgData *org
	orgErr  error
)

// loadOrg generates (once per test binary) an organisation of about 600
// workers over one month and parses it.
func loadOrg(t testing.TB) *org {
	t.Helper()
	if testing.Short() {
		t.Skip("generated organisation: not in -short")
	}
	orgOnce.Do(func() {
		dir, err := os.MkdirTemp("", "link-org-")
		if err != nil {
			orgErr = err
			return
		}
		defer os.RemoveAll(dir)
		orgData, orgErr = buildOrg(dir)
	})
	if orgErr != nil {
		t.Fatal(orgErr)
	}
	return orgData
}

func buildOrg(dir string) (*org, error) {
	ctx := context.Background()
	if _, err := gen.Generate(ctx, gen.Config{Workers: 600, Months: 1, Seed: 11}, dir, nil); err != nil {
		return nil, err
	}
	truth, err := gen.ReadTruth(dir)
	if err != nil {
		return nil, err
	}
	key, err := ident.NewKey([]byte("link test key, sixteen bytes at least"))
	if err != nil {
		return nil, err
	}
	dg := ident.NewDigester(key)
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	o := &org{truth: truth, events: map[string][]molehunt.Event{}, ipClass: map[netip.Addr]link.IPClass{}}
	bySubject := map[string]molehunt.Subject{}
	var events []molehunt.Event
	for _, name := range names {
		if filepath.Base(name) == gen.TruthFile {
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		br := bufio.NewReaderSize(f, 1<<16)
		head, _ := br.Peek(8 << 10)
		format, err := formats.Detect(name, head)
		if err != nil {
			f.Close()
			return nil, err
		}
		p, err := formats.ByName(format, formats.Config{})
		if err != nil {
			f.Close()
			return nil, err
		}
		opts := ingest.Options{File: name, Canon: &ident.Canonicalizer{Digester: dg, DefaultRegion: "US"}, Digest: dg, DefaultRegion: "US", Now: time.Now}
		err = p.Parse(ctx, br, opts, func(r ingest.Record) error {
			switch {
			case r.Subject != nil:
				bySubject[r.Subject.ID] = *r.Subject // a later record replaces, as the store's upsert does
			case r.Event != nil:
				e := *r.Event
				if e.Kind == molehunt.EventAuthentication && e.Auth != nil {
					o.classifyFromOkta(e)
				}
				e.Raw = nil
				events = append(events, e)
			}
			return nil
		})
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	holders := map[molehunt.Identifier][]string{}
	for id, s := range bySubject {
		o.subjects = append(o.subjects, s)
		for _, x := range s.Identifiers {
			holders[x] = append(holders[x], id)
		}
	}
	sort.Slice(o.subjects, func(i, j int) bool { return o.subjects[i].ID < o.subjects[j].ID })
	for _, e := range events {
		if e.SubjectID == "" {
			e.SubjectID = resolve(holders, e.Actor)
		}
		if e.SubjectID != "" {
			o.events[e.SubjectID] = append(o.events[e.SubjectID], e)
		}
	}
	return o, nil
}

// resolve finds the one subject holding the actor identifiers, as the
// ingest runner does: several candidates leave the event unresolved.
func resolve(holders map[molehunt.Identifier][]string, actor []molehunt.Identifier) string {
	found := ""
	for _, id := range actor {
		hs := holders[id]
		if len(hs) != 1 {
			continue
		}
		if found != "" && found != hs[0] {
			return ""
		}
		found = hs[0]
	}
	return found
}

// classifyFromOkta reads the network class Okta attached to a login
// (securityContext): what an enrichment database would say of the address.
func (o *org) classifyFromOkta(e molehunt.Event) {
	if _, ok := o.ipClass[e.Auth.IP]; ok || len(e.Raw) == 0 {
		return
	}
	var raw struct {
		SecurityContext struct {
			Domain  string `json:"domain"`
			IsProxy bool   `json:"isProxy"`
		} `json:"securityContext"`
	}
	if json.Unmarshal(e.Raw, &raw) != nil {
		return
	}
	sc := raw.SecurityContext
	class := link.IPResidential
	switch {
	case sc.IsProxy:
		class = link.IPVPN
	case strings.Contains("digitalocean.com vultr.com ovh.net hetzner.com cdn77.com", sc.Domain) && sc.Domain != "":
		class = link.IPHosting
	case sc.Domain == "zayo.com":
		class = link.IPCorporate
	}
	o.ipClass[e.Auth.IP] = class
}

func (o *org) classifier() link.IPClassifier {
	return func(a netip.Addr) link.IPClass { return o.ipClass[a] }
}

// feed adds every subject with its events to g.
func (o *org) feed(t testing.TB, g *link.Graph) {
	t.Helper()
	for _, s := range o.subjects {
		if err := g.Add(s, o.events[s.ID]); err != nil {
			t.Fatal(err)
		}
	}
}
