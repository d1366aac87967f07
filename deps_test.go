package molehunt_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// layer says where a package sits in the dependency rule of STYLE.md:
// domain (0) ← capabilities (1) ← adapters (2) ← cmd (3). Test helpers in
// internal/ are free to be imported by tests only and are not checked here.
func layer(pkg string) (int, bool) {
	rel := strings.TrimPrefix(pkg, "molehunt")
	rel = strings.TrimPrefix(rel, "/")
	top, _, _ := strings.Cut(rel, "/")
	switch top {
	case "":
		return 0, true
	case "lists", "ident", "screening", "enrich", "detect", "link", "risk", "cases", "ingest", "pipeline", "gen":
		return 1, true
	case "sqlite", "postgres", "inmem", "nats", "httpapi", "storetest":
		return 2, true
	case "cmd":
		return 3, true
	case "internal":
		return -1, true
	}
	return 0, false
}

// sharedLibrary is the one capability others may import: canonical
// identifier forms are the common language of ingestion, linking and
// detection, and it imports nothing of ours but the domain.
const sharedLibrary = "ident"

func capabilityOf(pkg string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(pkg, "molehunt"), "/")
	top, _, _ := strings.Cut(rel, "/")
	return top
}

// TestDependencyRule checks every import edge between molehunt packages:
// the domain imports nothing of ours, a capability imports the domain and
// its own sub-packages but no other capability and no adapter, an adapter
// imports no other adapter, and only cmd wires adapters together.
func TestDependencyRule(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("decode go list: %v", err)
		}
		from, ok := layer(p.ImportPath)
		if !ok {
			t.Errorf("package %s is in no layer of the dependency rule; add it to deps_test.go", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if imp != "molehunt" && !strings.HasPrefix(imp, "molehunt/") {
				continue
			}
			to, ok := layer(imp)
			if !ok {
				t.Errorf("%s imports %s, which is in no layer", p.ImportPath, imp)
				continue
			}
			switch {
			case to == -1 && from != -1:
				t.Errorf("%s imports test helper %s outside tests", p.ImportPath, imp)
			case from == 0:
				t.Errorf("domain package imports %s; it may import the standard library only", imp)
			case from == 1 && to == 1 && capabilityOf(imp) != capabilityOf(p.ImportPath) && capabilityOf(imp) != sharedLibrary:
				t.Errorf("capability %s imports capability %s; take a domain interface instead", p.ImportPath, imp)
			case from == 1 && to >= 2:
				t.Errorf("capability %s imports adapter %s", p.ImportPath, imp)
			case from == 2 && to == 2 && capabilityOf(imp) != capabilityOf(p.ImportPath):
				t.Errorf("adapter %s imports adapter %s", p.ImportPath, imp)
			case to == 3:
				t.Errorf("%s imports the command %s", p.ImportPath, imp)
			}
		}
	}
}
