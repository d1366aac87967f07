package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"molehunt"
)

// schemaTypes maps the FollowTheMoney schema names that OpenSanctions yente
// clients send to entity types. LegalEntity and Thing match any type.
var schemaTypes = map[string]molehunt.EntityType{
	"Person":       molehunt.EntityPerson,
	"Company":      molehunt.EntityOrganization,
	"Organization": molehunt.EntityOrganization,
	"PublicBody":   molehunt.EntityOrganization,
	"LegalEntity":  molehunt.EntityUnknown,
	"Thing":        molehunt.EntityUnknown,
	"Vessel":       molehunt.EntityVessel,
	"Airplane":     molehunt.EntityAircraft,
}

func schemaOf(t molehunt.EntityType) string {
	switch t {
	case molehunt.EntityPerson:
		return "Person"
	case molehunt.EntityOrganization:
		return "Organization"
	case molehunt.EntityVessel:
		return "Vessel"
	case molehunt.EntityAircraft:
		return "Airplane"
	}
	return "LegalEntity"
}

// identifierProperties are the query properties that are matched exactly
// against identifiers listed on entries.
var identifierProperties = []string{
	"idNumber", "passportNumber", "registrationNumber", "taxNumber", "innCode", "ogrnCode",
	"imoNumber", "email", "phone", "publicKey", "cryptoWallet", "walletAddress", "website",
}

// ignoredProperties are never screening inputs: employers must not screen
// by national origin, and a listed party's nationality is compared only
// with the listed party's own records.
var ignoredProperties = map[string]bool{"nationality": true, "citizenship": true, "ethnicity": true, "religion": true, "language": true}

// screenRequest is the body of POST /v1/screen, in yente's shape.
type screenRequest struct {
	Queries   map[string]entityQuery `json:"queries"`
	Threshold *float64               `json:"threshold,omitempty"`
	Limit     *int                   `json:"limit,omitempty"`
}

type entityQuery struct {
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

// screenResult is one result in yente's shape, with molehunt's explanations.
type screenResult struct {
	ID           string                 `json:"id"`
	SourceID     string                 `json:"source_id"`
	Caption      string                 `json:"caption"`
	Schema       string                 `json:"schema"`
	Lists        []molehunt.ListName    `json:"lists"`
	Datasets     []molehunt.ListName    `json:"datasets"`
	Programs     []string               `json:"programs,omitempty"`
	MatchedName  string                 `json:"matched_name"`
	Score        float64                `json:"score"`
	NameScore    float64                `json:"name_score"`
	Match        bool                   `json:"match"`
	Explanations []molehunt.Explanation `json:"explanations"`
	Properties   map[string][]string    `json:"properties"`
}

type queryResponse struct {
	Status    int                             `json:"status"`
	Results   []screenResult                  `json:"results"`
	Total     map[string]int                  `json:"total"`
	Threshold float64                         `json:"threshold"`
	Query     entityQuery                     `json:"query"`
	Warnings  []string                        `json:"warnings,omitempty"`
	Error     *struct{ Code, Message string } `json:"error,omitempty"`
}

type screenResponse struct {
	Responses map[string]queryResponse `json:"responses"`
	Limit     int                      `json:"limit"`
	Lists     []molehunt.ListInfo      `json:"lists"`
}

func (s *Server) postScreen(w http.ResponseWriter, r *http.Request) {
	if s.Screener == nil || (s.Lists != nil && !s.Lists.Ready()) {
		s.writeError(w, r, molehunt.Errorf(molehunt.EUnavailable, "screen", "no sanctions list is loaded yet"))
		return
	}
	body := http.MaxBytesReader(w, r.Body, s.MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	var req screenRequest
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.writeError(w, r, molehunt.Errorf(molehunt.ETooLarge, "screen", "request body is larger than %d bytes", s.MaxBodyBytes))
			return
		}
		s.writeError(w, r, molehunt.Errorf(molehunt.EInvalid, "screen", "request body is not valid JSON of the form {\"queries\": {\"key\": {\"schema\": ..., \"properties\": {...}}}}: %v", err))
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		s.writeError(w, r, molehunt.Errorf(molehunt.EInvalid, "screen", "request body has data after the JSON object"))
		return
	}
	if len(req.Queries) == 0 {
		s.writeError(w, r, molehunt.Errorf(molehunt.EInvalid, "screen", "queries: at least one query is required"))
		return
	}
	if len(req.Queries) > s.MaxBatch {
		s.writeError(w, r, molehunt.Errorf(molehunt.ETooLarge, "screen", "queries: %d queries; at most %d per request", len(req.Queries), s.MaxBatch))
		return
	}
	threshold, limit, err := s.options(r, req.Threshold, req.Limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := screenResponse{Responses: make(map[string]queryResponse, len(req.Queries)), Limit: limit}
	keys := make([]string, 0, len(req.Queries))
	for k := range req.Queries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		eq := req.Queries[key]
		q, warnings, err := toQuery(key, eq)
		qr := queryResponse{Query: eq, Warnings: warnings, Results: []screenResult{}}
		if err == nil {
			q.Threshold, q.Limit = threshold, limit
			var res molehunt.ScreenResult
			res, err = s.Screener.Screen(r.Context(), q)
			if err == nil {
				qr.Status = http.StatusOK
				qr.Threshold = res.Threshold
				qr.Results = toResults(res.Matches)
				qr.Total = map[string]int{"value": len(res.Matches)}
				if resp.Lists == nil {
					resp.Lists = res.Lists
				}
			}
		}
		if err != nil {
			code := molehunt.ErrorCodeOf(err)
			if code == molehunt.EUnavailable || code == molehunt.EInternal {
				s.writeError(w, r, err)
				return
			}
			qr.Status = statusOf(code)
			qr.Error = &struct{ Code, Message string }{string(code), molehunt.ErrorMessageOf(err)}
		}
		resp.Responses[key] = qr
	}
	if resp.Lists == nil && s.Lists != nil {
		resp.Lists = s.Lists.Lists()
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) options(r *http.Request, bodyThreshold *float64, bodyLimit *int) (float64, int, error) {
	threshold, limit := 0.0, 0
	if bodyThreshold != nil {
		threshold = *bodyThreshold
	}
	if bodyLimit != nil {
		limit = *bodyLimit
	}
	if v := r.URL.Query().Get("threshold"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, 0, molehunt.Errorf(molehunt.EInvalid, "screen", "threshold: %q is not a number", v)
		}
		threshold = f
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, molehunt.Errorf(molehunt.EInvalid, "screen", "limit: %q is not an integer", v)
		}
		limit = n
	}
	if threshold < 0 || threshold > 1 {
		return 0, 0, molehunt.Errorf(molehunt.EInvalid, "screen", "threshold: %v is outside [0,1]", threshold)
	}
	if limit < 0 || limit > 500 {
		return 0, 0, molehunt.Errorf(molehunt.EInvalid, "screen", "limit: %d is outside [0,500]", limit)
	}
	return threshold, limit, nil
}

// toQuery maps one yente-shaped query to a ScreenQuery.
func toQuery(key string, eq entityQuery) (molehunt.ScreenQuery, []string, error) {
	var q molehunt.ScreenQuery
	var warnings []string
	if eq.Schema == "" {
		eq.Schema = "LegalEntity"
	}
	t, ok := schemaTypes[eq.Schema]
	if !ok {
		return q, nil, molehunt.Errorf(molehunt.EInvalid, "screen", "queries.%s.schema: unknown schema %q (want Person, Company, Organization, LegalEntity, Vessel or Airplane)", key, eq.Schema)
	}
	q.Type = t
	names := append([]string(nil), eq.Properties["name"]...)
	names = append(names, eq.Properties["alias"]...)
	if first, last := strings.Join(eq.Properties["firstName"], " "), strings.Join(eq.Properties["lastName"], " "); first != "" || last != "" {
		names = append(names, strings.TrimSpace(first+" "+last))
	}
	for _, n := range names {
		if strings.TrimSpace(n) != "" {
			q.Names = append(q.Names, n)
		}
	}
	q.BirthDates = eq.Properties["birthDate"]
	q.Countries = append(append(q.Countries, eq.Properties["country"]...), eq.Properties["jurisdiction"]...)
	for _, p := range identifierProperties {
		q.Identifiers = append(q.Identifiers, eq.Properties[p]...)
	}
	for p := range eq.Properties {
		if ignoredProperties[p] {
			warnings = append(warnings, fmt.Sprintf("property %q ignored: it is never a screening input", p))
		}
	}
	sort.Strings(warnings)
	if len(q.Names) == 0 && len(q.Identifiers) == 0 {
		return q, warnings, molehunt.Errorf(molehunt.EInvalid, "screen", "queries.%s.properties: a name or an identifier is required", key)
	}
	return q, warnings, nil
}

func toResults(ms []molehunt.Match) []screenResult {
	out := make([]screenResult, 0, len(ms))
	for _, m := range ms {
		props := map[string][]string{"name": {m.Caption}}
		if m.Entry != nil {
			var names []string
			for _, n := range m.Entry.Names {
				names = append(names, n.Full)
			}
			props["name"] = names
			if len(m.Entry.BirthDates) > 0 {
				props["birthDate"] = m.Entry.BirthDates
			}
			if len(m.Entry.Programs) > 0 {
				props["program"] = m.Entry.Programs
			}
		}
		expl := m.Explanations
		if expl == nil {
			expl = []molehunt.Explanation{}
		}
		out = append(out, screenResult{
			ID: m.EntryID, SourceID: m.SourceID, Caption: m.Caption, Schema: schemaOf(m.Type),
			Lists: []molehunt.ListName{m.List}, Datasets: []molehunt.ListName{m.List}, Programs: m.Programs,
			MatchedName: m.MatchedName, Score: m.Score, NameScore: m.NameScore, Match: m.IsMatch,
			Explanations: expl, Properties: props,
		})
	}
	return out
}

// getScreen screens one name: GET /v1/screen?name=...&type=person|company.
func (s *Server) getScreen(w http.ResponseWriter, r *http.Request) {
	if s.Screener == nil || (s.Lists != nil && !s.Lists.Ready()) {
		s.writeError(w, r, molehunt.Errorf(molehunt.EUnavailable, "screen", "no sanctions list is loaded yet"))
		return
	}
	v := r.URL.Query()
	q := molehunt.ScreenQuery{Names: v["name"], BirthDates: v["dob"], Countries: v["country"], Identifiers: v["identifier"]}
	switch t := v.Get("type"); t {
	case "", "any":
	case "person":
		q.Type = molehunt.EntityPerson
	case "company", "organization", "organisation":
		q.Type = molehunt.EntityOrganization
	case "vessel":
		q.Type = molehunt.EntityVessel
	case "aircraft":
		q.Type = molehunt.EntityAircraft
	default:
		s.writeError(w, r, molehunt.Errorf(molehunt.EInvalid, "screen", "type: %q is not person, company, vessel or aircraft", t))
		return
	}
	if len(q.Names) == 0 && len(q.Identifiers) == 0 {
		s.writeError(w, r, molehunt.Errorf(molehunt.EInvalid, "screen", "name: a name (or an identifier) is required"))
		return
	}
	threshold, limit, err := s.options(r, nil, nil)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q.Threshold, q.Limit = threshold, limit
	res, err := s.Screener.Screen(r.Context(), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"results":   toResults(res.Matches),
		"threshold": res.Threshold,
		"lists":     res.Lists,
	})
}
