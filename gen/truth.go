package gen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// Indicator is one planted piece of evidence, named by its row in
// shared/INDICATORS.md (A1, D2, E6, F4, H3, ...).
type Indicator struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Detail string `json:"detail,omitempty"`
}

// Network is a planted covert network in the ground truth.
type Network struct {
	ID         string      `json:"id"`
	Kind       string      `json:"kind"`
	Members    []string    `json:"members"` // subject ids, as ingestion will name them
	Indicators []Indicator `json:"indicators"`
	Note       string      `json:"note,omitempty"`
}

// CovertWorker is a planted covert worker or applicant.
type CovertWorker struct {
	SubjectID  string      `json:"subject_id"`
	Name       string      `json:"name"`
	Login      string      `json:"login,omitempty"`
	Network    string      `json:"network"`
	Kind       string      `json:"kind"`
	Hired      bool        `json:"hired"`
	HireDate   string      `json:"hire_date,omitempty"`
	Claimed    string      `json:"claimed"` // claimed city and country
	RealTZ     string      `json:"real_time_zone,omitempty"`
	Indicators []Indicator `json:"indicators"`
}

// Benign is a planted look-alike: ordinary people whose records resemble
// an indicator and must not be flagged.
type Benign struct {
	Kind    string   `json:"kind"`
	Members []string `json:"members"`
	Detail  string   `json:"detail,omitempty"`
}

// Truth is the ground-truth file, truth.json.
type Truth struct {
	Generator string         `json:"generator"`
	Seed      int64          `json:"seed"`
	Workers   int            `json:"workers"`
	Months    int            `json:"months"`
	Start     string         `json:"start"`
	End       string         `json:"end"`
	Networks  []Network      `json:"networks"`
	Covert    []CovertWorker `json:"covert_workers"`
	Benign    []Benign       `json:"benign"`
	Files     []string       `json:"files"`
}

// ReadTruth reads a truth.json written by Generate.
func ReadTruth(dir string) (*Truth, error) {
	b, err := os.ReadFile(filepath.Join(dir, TruthFile))
	if err != nil {
		return nil, err
	}
	var t Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func (o *org) truth(files []string) *Truth {
	t := &Truth{
		Generator: "molehunt/gen v1",
		Seed:      o.cfg.Seed,
		Workers:   o.cfg.Workers,
		Months:    o.cfg.Months,
		Start:     o.start.Format(time.DateOnly),
		End:       o.end.Format(time.DateOnly),
		Benign:    o.benign,
		Files:     files,
	}
	for _, n := range o.networks {
		tn := Network{ID: n.id, Kind: n.kind, Indicators: n.ind, Note: n.note, Members: []string{}}
		for _, m := range n.members {
			p := o.people[m]
			tn.Members = append(tn.Members, p.subjectID())
			cw := CovertWorker{SubjectID: p.subjectID(), Name: p.fullName(), Login: p.login, Network: n.id, Kind: n.kind,
				Hired: p.hired, Claimed: p.city.name + ", " + p.country.code, Indicators: p.covert.indicators, RealTZ: p.covert.realTZ}
			if p.hired {
				cw.HireDate = p.hire.Format(time.DateOnly)
			}
			t.Covert = append(t.Covert, cw)
		}
		if n.vendor != nil {
			tn.Members = append(tn.Members, n.vendor.subjectID())
		}
		t.Networks = append(t.Networks, tn)
	}
	if t.Benign == nil {
		t.Benign = []Benign{}
	}
	return t
}

func (v *vendor) subjectID() string { return "ap:vendor:" + v.id }
