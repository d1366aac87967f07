package ats

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"molehunt"
)

// leverUser is a Lever user id, or the user object when the request asked
// for expand=sourcedBy/owner.
type leverUser struct {
	ID    text
	Name  text
	Email text
}

// UnmarshalJSON accepts an id string or a user object.
func (u *leverUser) UnmarshalJSON(b []byte) error {
	var id text
	if err := id.UnmarshalJSON(b); err == nil && id != "" {
		u.ID = id
		return nil
	}
	var obj struct {
		ID    text `json:"id"`
		Name  text `json:"name"`
		Email text `json:"email"`
	}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &obj); err != nil {
			return err
		}
		u.ID, u.Name, u.Email = obj.ID, obj.Name, obj.Email
	}
	return nil
}

// leverReason is an archive reason id, or the object {id, text, status}
// some integrations expand it to.
type leverReason struct {
	ID, Text, Status text
}

// UnmarshalJSON accepts an id string or a reason object.
func (r *leverReason) UnmarshalJSON(b []byte) error {
	var id text
	if err := id.UnmarshalJSON(b); err == nil && id != "" {
		r.ID = id
		return nil
	}
	if len(b) > 0 && b[0] == '{' {
		var obj struct {
			ID     text `json:"id"`
			Text   text `json:"text"`
			Status text `json:"status"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return err
		}
		r.ID, r.Text, r.Status = obj.ID, obj.Text, obj.Status
	}
	return nil
}

type leverOpportunity struct {
	ID      text   `json:"id"`
	Name    text   `json:"name"`
	Contact text   `json:"contact"`
	Emails  []text `json:"emails"`
	Phones  []struct {
		Type  text `json:"type"`
		Value text `json:"value"`
	} `json:"phones"`
	Location  text   `json:"location"`
	Links     []text `json:"links"`
	CreatedAt text   `json:"createdAt"`
	// Legacy candidate-era fields, still present on opportunities.
	ArchivedAt    text         `json:"archivedAt"`
	ArchiveReason *leverReason `json:"archiveReason"`
	Archived      *struct {
		ArchivedAt text         `json:"archivedAt"`
		Reason     *leverReason `json:"reason"`
	} `json:"archived"`
	Origin    text       `json:"origin"`
	SourcedBy *leverUser `json:"sourcedBy"`
	Sources   []text     `json:"sources"`
}

// lever maps one opportunity. The person is Lever's contact: one contact
// may have several opportunities, and they all map to the same subject.
func (st *run) lever(rec string, raw json.RawMessage) error {
	var op leverOpportunity
	if err := json.Unmarshal(raw, &op); err != nil {
		return st.reject(rec, "", fmt.Errorf("not a Lever opportunity: %v", err))
	}
	id := op.ID.String()
	if id == "" {
		return st.reject(rec, "id", errors.New("missing opportunity id"))
	}
	rec = fmt.Sprintf("%s (opportunity %s)", rec, id)
	s := &molehunt.Subject{
		ID:      "lever:opportunity:" + id,
		Role:    molehunt.RoleCandidate,
		Sources: []molehunt.SourceRef{{Source: molehunt.SourceLever, ID: "opportunity:" + id}},
	}
	if c := op.Contact.String(); c != "" {
		s.ID = "lever:contact:" + c
		s.Sources = append(s.Sources, molehunt.SourceRef{Source: molehunt.SourceLever, ID: "contact:" + c})
	}
	if n := op.Name.String(); n != "" {
		s.Names = []molehunt.Name{{Full: n, Kind: molehunt.NamePrimary}}
	}
	s.City = op.Location.String()
	o := st.newOut(rec, s)
	for i, e := range op.Emails {
		o.identifier(molehunt.IDEmail, e.String(), fmt.Sprintf("emails[%d]", i))
	}
	for i, p := range op.Phones {
		o.identifier(molehunt.IDPhone, p.Value.String(), fmt.Sprintf("phones[%d].value", i))
	}
	for i, l := range op.Links {
		o.identifier(molehunt.IDProfileURL, l.String(), fmt.Sprintf("links[%d]", i))
	}
	rawC := compact(raw)
	created := parseMillis(op.CreatedAt)
	if !created.IsZero() {
		o.event("opportunity:"+id+":applied", created, "status", "applied", rawC)
	}
	if strings.EqualFold(op.Origin.String(), "referred") {
		who := "unknown"
		if u := op.SourcedBy; u != nil && u.ID != "" {
			who = strings.TrimSpace("lever user " + u.ID.String() + " " + u.Name.String())
			if e := u.Email.String(); e != "" {
				who += " <" + e + ">"
			}
		}
		o.event("opportunity:"+id+":referred_by", firstTime(created, st.opts.Now()), "referred_by", who, rawC)
	}

	archivedAt, reason := parseMillis(op.ArchivedAt), op.ArchiveReason
	if op.Archived != nil {
		archivedAt, reason = firstTime(parseMillis(op.Archived.ArchivedAt), archivedAt), op.Archived.Reason
	}
	if archivedAt.IsZero() && reason == nil {
		s.Status = molehunt.StatusApplicant
		return o.flush()
	}
	// Lever archives an opportunity both when it is hired and when it is
	// not; only an expanded reason says which.
	value := "archived"
	if reason != nil {
		switch strings.ToLower(reason.Status.String()) {
		case "hired":
			value = "hired"
			s.Role, s.Status = molehunt.RoleEmployee, molehunt.StatusActive
		case "non-hired":
			value = "rejected"
			s.Status = molehunt.StatusRejected
			if lowerContains(reason.Text.String(), "withdr") {
				value, s.Status = "withdrawn", molehunt.StatusWithdrawn
			}
		}
		if value == "archived" && reason.ID != "" {
			value = "archived: reason " + reason.ID.String()
		}
	}
	key := "opportunity:" + id + ":archived"
	if !archivedAt.IsZero() {
		key += ":" + stamp(archivedAt)
	}
	o.event(key, firstTime(archivedAt, st.opts.Now()), "status", value, rawC)
	return o.flush()
}
