package link

import (
	"fmt"
	"sort"
	"strings"

	"molehunt"
)

// FamilyLinkage is the signal family of everything the graph finds.
const FamilyLinkage = "linkage"

// The signal codes of the linkage family.
const (
	SignalLaptopFarm    = "LINK_LAPTOP_FARM"    // equipment or logins of several workers at one residence
	SignalPaymentHub    = "LINK_PAYMENT_HUB"    // several workers paid into one account, or accounts of one holder
	SignalSharedDevice  = "LINK_SHARED_DEVICE"  // one device serial, hardware UUID or MAC behind several subjects
	SignalSharedMFA     = "LINK_SHARED_MFA"     // one MFA authenticator enrolled by several subjects
	SignalSharedPhone   = "LINK_SHARED_PHONE"   // one phone number behind several subjects
	SignalSharedEmail   = "LINK_SHARED_EMAIL"   // one e-mail address or login behind several subjects
	SignalSharedWallet  = "LINK_SHARED_WALLET"  // one crypto wallet behind several subjects
	SignalIdentityReuse = "LINK_IDENTITY_REUSE" // one government ID behind several applicants
	SignalResumeReuse   = "LINK_RESUME_REUSE"   // the same or a near-identical resume under different names
	SignalPhotoReuse    = "LINK_PHOTO_REUSE"    // the same or a near-identical photo under different names
)

// Signal is one piece of linkage evidence about a cluster. It is defined
// here until the domain has a Signal type; its fields are the ones DESIGN.md
// gives a signal.
type Signal struct {
	Code     string  `json:"code"`
	Family   string  `json:"family"`
	Strength float64 `json:"strength"` // in (0, 1]
	// Subjects are the members the signal is about, sorted.
	Subjects []string `json:"subjects"`
	// Evidence references the cluster ("cluster:…") and the identifiers
	// ("kind:value") behind the signal.
	Evidence []string `json:"evidence"`
	Sentence string   `json:"sentence"`
}

func (g *Graph) signals(c *Cluster, ms []int32) {
	name := make(map[string]string, len(ms))
	dob := make(map[string]string, len(ms))
	for _, m := range ms {
		name[g.subjects[m].id] = g.subjects[m].name
		dob[g.subjects[m].id] = g.subjects[m].dob
	}
	add := func(code string, strength float64, subjects []string, evidence []string, sentence string) {
		if strength > 1 {
			strength = 1
		}
		subjects = uniqSorted(subjects)
		c.Signals = append(c.Signals, Signal{Code: code, Family: FamilyLinkage, Strength: round3(strength),
			Subjects: subjects, Evidence: append([]string{c.ID}, uniqSorted(evidence)...), Sentence: sentence})
	}
	// Which pairs logged in from one residential address, and which share
	// an MFA authenticator: they strengthen a farm.
	ipPair := map[[2]string][]string{}
	for _, w := range c.Weak {
		for _, p := range w.Parts {
			if p.Kind == "ip" {
				ipPair[[2]string{w.A, w.B}] = p.Values
			}
		}
	}
	sharedMFA := false
	for _, l := range c.Links {
		if l.Identifier.Kind == molehunt.IDMFADevice {
			sharedMFA = true
		}
	}
	type group struct {
		subjects, evidence []string
		sentence           string
	}
	byCode := map[string]*group{}
	collect := func(code string, l Link, what string) {
		gr := byCode[code]
		if gr == nil {
			gr = &group{}
			byCode[code] = gr
		}
		gr.evidence = append(gr.evidence, l.Identifier.String())
		for _, h := range l.Holders {
			gr.subjects = append(gr.subjects, h.Subject)
		}
		if gr.sentence == "" {
			gr.sentence = fmt.Sprintf("%d subjects share %s %s", len(l.Holders), what, l.Identifier.Value)
		} else {
			gr.sentence += fmt.Sprintf("; %d share %s %s", len(l.Holders), what, l.Identifier.Value)
		}
	}
	var hub []Link
	for _, l := range c.Links {
		if !l.Joins {
			continue
		}
		switch l.Identifier.Kind {
		case molehunt.IDPostalAddress:
			var shipped, notHome []string
			for _, h := range l.Holders {
				if h.Shipped {
					shipped = append(shipped, h.Subject)
					if !h.Claimed {
						notHome = append(notHome, h.Subject)
					}
				}
			}
			// A family's laptops go to the home they all claim; a farm's go
			// to an address that is none of the workers' homes.
			if len(shipped) < 2 || (len(notHome) < 2 && len(shipped) <= g.cfg.Household) {
				continue
			}
			strength := 0.6
			logins := map[string]bool{}
			var ips []string
			for i, a := range shipped {
				for _, b := range shipped[i+1:] {
					k := [2]string{a, b}
					if b < a {
						k = [2]string{b, a}
					}
					if v, ok := ipPair[k]; ok {
						logins[a], logins[b] = true, true
						ips = append(ips, v...)
					}
				}
			}
			s := fmt.Sprintf("Equipment of %d workers was shipped to %s", len(shipped), l.Identifier.Value)
			if len(notHome) >= 2 {
				s += fmt.Sprintf(", which %d of them do not claim as home", len(notHome))
			}
			if len(logins) >= 2 {
				strength += 0.2
				s += fmt.Sprintf("; %d of them logged in from one residential address (%s)", len(logins), strings.Join(uniqSorted(ips), ", "))
			}
			if sharedMFA {
				strength += 0.15
				s += "; they share an MFA authenticator"
			}
			ev := []string{l.Identifier.String()}
			for _, ip := range ips {
				ev = append(ev, string(molehunt.IDIP)+":"+ip)
			}
			add(SignalLaptopFarm, strength, shipped, ev, s+".")
		case molehunt.IDBankAccount:
			if len(l.Holders) > g.cfg.Household {
				hub = append(hub, l)
			}
		case KindAccountHolder:
			hub = append(hub, l)
		case molehunt.IDGovernmentID:
			var subs []string
			sameDOB, sameName := true, true
			for _, h := range l.Holders {
				subs = append(subs, h.Subject)
				if dob[h.Subject] == "" || dob[h.Subject] != dob[l.Holders[0].Subject] {
					sameDOB = false
				}
				if name[h.Subject] != name[l.Holders[0].Subject] {
					sameName = false
				}
			}
			strength := 0.8
			s := fmt.Sprintf("%d subjects present one government ID", len(subs))
			if sameDOB && sameName {
				strength = 0.95
				s += fmt.Sprintf(" with the same name and date of birth (%s)", dob[subs[0]])
			}
			add(SignalIdentityReuse, strength, subs, []string{l.Identifier.String()}, s+".")
		case molehunt.IDDeviceSerial, molehunt.IDHardwareUUID, molehunt.IDMAC:
			collect(SignalSharedDevice, l, "the device")
		case molehunt.IDMFADevice:
			collect(SignalSharedMFA, l, "the MFA authenticator")
		case molehunt.IDPhone:
			collect(SignalSharedPhone, l, "the phone number")
		case molehunt.IDEmail, molehunt.IDLogin:
			collect(SignalSharedEmail, l, "the address")
		case molehunt.IDWallet:
			collect(SignalSharedWallet, l, "the wallet")
		}
	}
	if len(hub) > 0 {
		var subs, ev, parts []string
		for _, l := range hub {
			ev = append(ev, l.Identifier.String())
			for _, h := range l.Holders {
				subs = append(subs, h.Subject)
			}
			if l.Identifier.Kind == KindAccountHolder {
				parts = append(parts, fmt.Sprintf("%d are paid into accounts held by %s", len(l.Holders), l.Identifier.Value))
			} else {
				parts = append(parts, fmt.Sprintf("%d are paid into one account", len(l.Holders)))
			}
		}
		subs = uniqSorted(subs)
		add(SignalPaymentHub, 0.6+0.1*float64(len(subs)-1), subs, ev,
			fmt.Sprintf("%d workers are paid through one facilitator: %s.", len(subs), strings.Join(parts, "; ")))
	}
	strengths := map[string]float64{SignalSharedDevice: 0.7, SignalSharedMFA: 0.8, SignalSharedPhone: 0.6, SignalSharedEmail: 0.6, SignalSharedWallet: 0.7}
	for _, code := range []string{SignalSharedDevice, SignalSharedMFA, SignalSharedPhone, SignalSharedEmail, SignalSharedWallet} {
		if gr := byCode[code]; gr != nil {
			add(code, strengths[code], gr.subjects, gr.evidence, strings.ToUpper(gr.sentence[:1])+gr.sentence[1:]+".")
		}
	}
	// Reuse of a resume or a photo under different names.
	for _, kind := range []string{"resume", "photo"} {
		var subs, ev []string
		best := 0.0
		for _, w := range c.Weak {
			for _, p := range w.Parts {
				if p.Kind != kind || name[w.A] == name[w.B] {
					continue
				}
				subs = append(subs, w.A, w.B)
				idk := molehunt.IDResumeFingerprint
				if kind == "photo" {
					idk = molehunt.IDPhotoHash
				}
				for _, v := range p.Values {
					ev = append(ev, string(idk)+":"+v)
				}
				if p.Weight > best {
					best = p.Weight
				}
			}
		}
		if len(subs) == 0 {
			continue
		}
		subs = uniqSorted(subs)
		code, what := SignalResumeReuse, "resume"
		if kind == "photo" {
			code, what = SignalPhotoReuse, "profile photo"
		}
		add(code, 0.5+0.4*best, subs, ev, fmt.Sprintf("The same %s appears under %d different names.", what, len(subs)))
	}
	sort.SliceStable(c.Signals, func(i, j int) bool { return c.Signals[i].Strength > c.Signals[j].Strength })
	if len(c.Signals) == 0 && len(ms) <= g.cfg.Household {
		for _, l := range c.Links {
			if l.Identifier.Kind != molehunt.IDPostalAddress {
				continue
			}
			all := true
			for _, h := range l.Holders {
				all = all && h.Claimed
			}
			if all && len(l.Holders) == len(ms) {
				c.Household = true
			}
		}
	}
}

func uniqSorted(s []string) []string {
	if len(s) == 0 {
		return s
	}
	out := append([]string(nil), s...)
	sort.Strings(out)
	k := 1
	for i := 1; i < len(out); i++ {
		if out[i] != out[k-1] {
			out[k] = out[i]
			k++
		}
	}
	return out[:k]
}
