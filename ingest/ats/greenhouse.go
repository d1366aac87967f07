package ats

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"molehunt"
)

type ghValue struct {
	Value text `json:"value"`
	Type  text `json:"type"`
}

type ghUser struct {
	ID         text `json:"id"`
	Name       text `json:"name"`
	FirstName  text `json:"first_name"`
	LastName   text `json:"last_name"`
	Email      text `json:"email"`
	EmployeeID text `json:"employee_id"`
}

type ghApplication struct {
	ID             text `json:"id"`
	Prospect       bool `json:"prospect"`
	AppliedAt      text `json:"applied_at"`
	RejectedAt     text `json:"rejected_at"`
	LastActivityAt text `json:"last_activity_at"`
	Status         text `json:"status"`
	Source         *struct {
		PublicName text `json:"public_name"`
		Name       text `json:"name"`
	} `json:"source"`
	CreditedTo *ghUser `json:"credited_to"`
	Answers    []struct {
		Question text `json:"question"`
		Answer   text `json:"answer"`
	} `json:"answers"`
	Candidate *ghCandidate `json:"candidate"`
	Offer     *struct {
		ResolvedAt text `json:"resolved_at"`
		StartsAt   text `json:"starts_at"`
	} `json:"offer"`
}

type ghCandidate struct {
	ID                   text            `json:"id"`
	FirstName            text            `json:"first_name"`
	LastName             text            `json:"last_name"`
	PhoneNumbers         []ghValue       `json:"phone_numbers"`
	EmailAddresses       []ghValue       `json:"email_addresses"`
	Addresses            []ghValue       `json:"addresses"`
	WebsiteAddresses     []ghValue       `json:"website_addresses"`
	SocialMediaAddresses []ghValue       `json:"social_media_addresses"`
	Applications         []ghApplication `json:"applications"`
}

type ghWebhook struct {
	Action  text `json:"action"`
	Payload *struct {
		Application *ghApplication `json:"application"`
		Candidate   *ghCandidate   `json:"candidate"`
	} `json:"payload"`
}

// greenhouse maps one candidate object or web hook.
func (st *run) greenhouse(rec string, raw json.RawMessage) error {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return st.reject(rec, "", errors.New("not a JSON object"))
	}
	if _, ok := probe["action"]; ok {
		return st.greenhouseWebhook(rec, raw)
	}
	var c ghCandidate
	if err := json.Unmarshal(raw, &c); err != nil {
		var id text
		if json.Unmarshal(probe["id"], &id) == nil && id != "" {
			rec = fmt.Sprintf("%s (candidate %s)", rec, id.String())
		}
		return st.reject(rec, "", fmt.Errorf("not a Greenhouse candidate: %v", err))
	}
	return st.greenhouseCandidate(rec, &c, c.Applications, "", raw)
}

func (st *run) greenhouseWebhook(rec string, raw json.RawMessage) error {
	var w ghWebhook
	if err := json.Unmarshal(raw, &w); err != nil {
		return st.reject(rec, "payload", fmt.Errorf("not a Greenhouse web hook: %v", err))
	}
	action := w.Action.String()
	if action == "ping" {
		return nil // the test delivery Greenhouse sends when a hook is saved
	}
	if w.Payload == nil {
		return st.reject(rec, "payload", errors.New("missing"))
	}
	switch {
	case w.Payload.Application != nil && w.Payload.Application.Candidate != nil:
		app := *w.Payload.Application
		return st.greenhouseCandidate(rec, app.Candidate, []ghApplication{app}, action, raw)
	case w.Payload.Candidate != nil:
		return st.greenhouseCandidate(rec, w.Payload.Candidate, w.Payload.Candidate.Applications, action, raw)
	}
	return st.reject(rec, "payload", fmt.Errorf("action %q: no application.candidate or candidate", action))
}

// appStatus is an application's status, with the web hook's action
// deciding when the payload does not say.
func appStatus(a *ghApplication, action string) string {
	s := strings.ToLower(a.Status.String())
	switch action {
	case "hire_candidate", "candidate_hired":
		s = "hired"
	case "reject_candidate", "candidate_rejected":
		s = "rejected"
	case "unreject_candidate", "candidate_unrejected":
		s = "active"
	}
	if s == "" && a.RejectedAt.String() != "" {
		s = "rejected"
	}
	return s
}

func (st *run) greenhouseCandidate(rec string, c *ghCandidate, apps []ghApplication, action string, raw json.RawMessage) error {
	id := c.ID.String()
	if id == "" {
		return st.reject(rec, "id", errors.New("missing candidate id"))
	}
	rec = fmt.Sprintf("%s (candidate %s)", rec, id)
	s := &molehunt.Subject{
		ID:      "greenhouse:candidate:" + id,
		Role:    molehunt.RoleCandidate,
		Sources: []molehunt.SourceRef{{Source: molehunt.SourceGreenhouse, ID: id}},
	}
	given, family := c.FirstName.String(), c.LastName.String()
	if full := strings.TrimSpace(given + " " + family); full != "" {
		s.Names = []molehunt.Name{{Full: full, Kind: molehunt.NamePrimary, Given: given, Family: family}}
	}
	o := st.newOut(rec, s)
	for i, v := range c.EmailAddresses {
		o.identifier(molehunt.IDEmail, v.Value.String(), fmt.Sprintf("email_addresses[%d]", i))
	}
	for i, v := range c.PhoneNumbers {
		o.identifier(molehunt.IDPhone, v.Value.String(), fmt.Sprintf("phone_numbers[%d]", i))
	}
	for i, v := range c.Addresses {
		o.address(v.Value.String(), fmt.Sprintf("addresses[%d]", i))
	}
	for i, v := range c.WebsiteAddresses {
		o.identifier(molehunt.IDProfileURL, v.Value.String(), fmt.Sprintf("website_addresses[%d]", i))
	}
	for i, v := range c.SocialMediaAddresses {
		o.identifier(molehunt.IDProfileURL, v.Value.String(), fmt.Sprintf("social_media_addresses[%d]", i))
	}
	rawC := compact(raw)
	var hired, active, rejected bool
	for i := range apps {
		a := &apps[i]
		appID := a.ID.String()
		field := fmt.Sprintf("applications[%d]", i)
		if action != "" {
			field = "payload.application"
		}
		if appID == "" {
			o.fieldReject(field+".id", errors.New("missing application id"))
			continue
		}
		// Profile links candidates type into application questions.
		for j, q := range a.Answers {
			ans := q.Answer.String()
			if lowerContains(q.Question.String(), "linkedin", "github", "website", "portfolio", "profile") ||
				strings.HasPrefix(strings.ToLower(ans), "http") {
				if ans != "" && !strings.ContainsAny(ans, " \n") && strings.Contains(ans, ".") {
					o.identifier(molehunt.IDProfileURL, ans, fmt.Sprintf("%s.answers[%d].answer", field, j))
				}
			}
		}
		applied := parseTime(a.AppliedAt)
		last := parseTime(a.LastActivityAt)
		if !applied.IsZero() && !a.Prospect {
			o.event("application:"+appID+":applied", applied, "status", "applied", rawC)
		}
		if src := a.Source; src != nil && a.CreditedTo != nil &&
			lowerContains(src.PublicName.String()+" "+src.Name.String(), "referr") {
			o.event("application:"+appID+":referred_by", firstTime(applied, last, st.opts.Now()),
				"referred_by", describeUser(a.CreditedTo), rawC)
		}
		switch appStatus(a, action) {
		case "hired":
			hired = true
			var resolved time.Time
			if a.Offer != nil {
				resolved = parseTime(a.Offer.ResolvedAt)
				if start := parseTime(a.Offer.StartsAt); !start.IsZero() && s.HireDate == "" {
					s.HireDate = start.Format(time.DateOnly)
				}
			}
			// Greenhouse gives no hire time in exports, and an
			// application is hired once: the key has no time, so the
			// web hook and a later export of the same hire agree.
			o.event("application:"+appID+":hired", firstTime(resolved, last, st.opts.Now()), "status", "hired", rawC)
		case "rejected":
			rejected = true
			at := parseTime(a.RejectedAt)
			key := "application:" + appID + ":rejected"
			if !at.IsZero() {
				key += ":" + stamp(at)
			}
			o.event(key, firstTime(at, last, st.opts.Now()), "status", "rejected", rawC)
		case "active", "converted", "":
			active = true
		}
	}
	switch {
	case hired:
		s.Role, s.Status = molehunt.RoleEmployee, molehunt.StatusActive
		if s.HireDate != "" {
			if start, _ := time.Parse(time.DateOnly, s.HireDate); start.After(st.opts.Now()) {
				s.Status = molehunt.StatusOffered
			}
		}
	case active:
		s.Status = molehunt.StatusApplicant
	case rejected:
		s.Status = molehunt.StatusRejected
	}
	return o.flush()
}

// describeUser names a Greenhouse user for an hr_change value: "greenhouse
// user <id> <name> <email> (employee <id>)", the parts that are known.
func describeUser(u *ghUser) string {
	parts := []string{"greenhouse user " + u.ID.String()}
	name := u.Name.String()
	if name == "" {
		name = strings.TrimSpace(u.FirstName.String() + " " + u.LastName.String())
	}
	if name != "" {
		parts = append(parts, name)
	}
	if e := u.Email.String(); e != "" {
		parts = append(parts, "<"+e+">")
	}
	if e := u.EmployeeID.String(); e != "" {
		parts = append(parts, "(employee "+e+")")
	}
	return strings.Join(parts, " ")
}
