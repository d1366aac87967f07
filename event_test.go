package molehunt_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"molehunt"
)

func validEvent() molehunt.Event {
	return molehunt.Event{
		Kind: molehunt.EventPayment, Source: molehunt.SourceNACHA, SourceEventID: "091000019-0000001",
		Time:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Payment: &molehunt.PaymentDetail{AccountDigest: "k1:" + strings.Repeat("0f", 32), AmountMinor: 100, Currency: "USD", Rail: molehunt.RailACH},
		Raw:     json.RawMessage(`{"record":"6..."}`),
	}
}

func TestEventValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*molehunt.Event)
		field  string
	}{
		{"valid", func(*molehunt.Event) {}, ""},
		{"with its id", func(e *molehunt.Event) { e.ID = molehunt.EventID(e.Source, e.SourceEventID) }, ""},
		{"other id", func(e *molehunt.Event) { e.ID = "nacha:other" }, "id"},
		{"kind", func(e *molehunt.Event) { e.Kind = "" }, "kind"},
		{"source", func(e *molehunt.Event) { e.Source = "NACHA" }, "source"},
		{"source id", func(e *molehunt.Event) { e.SourceEventID = "" }, "source_event_id"},
		{"time", func(e *molehunt.Event) { e.Time = time.Time{} }, "time"},
		{"subject", func(e *molehunt.Event) { e.SubjectID = " s" }, "subject_id"},
		{"actor", func(e *molehunt.Event) { e.Actor = []molehunt.Identifier{{Kind: molehunt.IDEmail}} }, "actor[0]"},
		{"no detail", func(e *molehunt.Event) { e.Payment = nil }, "payment"},
		{"wrong detail", func(e *molehunt.Event) { e.Shipment = &molehunt.ShipmentDetail{} }, "shipment"},
		{"clear account", func(e *molehunt.Event) { e.Payment.AccountDigest = "123456789" }, "payment.account_digest"},
		{"currency", func(e *molehunt.Event) { e.Payment.Currency = "usd" }, "payment.currency"},
		{"rail", func(e *molehunt.Event) { e.Payment.Rail = "pigeon" }, "payment.rail"},
		{"raw", func(e *molehunt.Event) { e.Raw = json.RawMessage("{") }, "raw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := validEvent()
			tc.mutate(&e)
			err := e.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v; want nil", err)
				}
				return
			}
			var re *molehunt.RecordError
			if !errors.As(err, &re) || re.Field != tc.field {
				t.Fatalf("Validate: %v; want a *RecordError for field %q", err, tc.field)
			}
		})
	}
}

func TestEventDetailEnums(t *testing.T) {
	for _, tc := range []struct {
		name  string
		e     molehunt.Event
		field string
	}{
		{"auth outcome", molehunt.Event{Kind: molehunt.EventAuthentication, Auth: &molehunt.AuthDetail{Outcome: "meh"}}, "auth.outcome"},
		{"endpoint category", molehunt.Event{Kind: molehunt.EventEndpoint, Endpoint: &molehunt.EndpointDetail{Category: "vibes"}}, "endpoint.category"},
		{"endpoint action", molehunt.Event{Kind: molehunt.EventEndpoint, Endpoint: &molehunt.EndpointDetail{Category: molehunt.EndpointProcess, Action: "x"}}, "endpoint.action"},
		{"payroll digest", molehunt.Event{Kind: molehunt.EventPayrollChange, PayrollChange: &molehunt.PayrollChangeDetail{NewAccountDigest: "1"}}, "payroll_change.new_account_digest"},
		{"video", molehunt.Event{Kind: molehunt.EventInterview, Interview: &molehunt.InterviewDetail{Video: "maybe"}}, "interview.video"},
		{"hr field", molehunt.Event{Kind: molehunt.EventHRChange, HRChange: &molehunt.HRChangeDetail{}}, "hr_change.field"},
		{"idv vendor", molehunt.Event{Kind: molehunt.EventIdentityVerification, IdentityVerification: &molehunt.IdentityVerificationDetail{}}, "identity_verification.vendor"},
		{"idv outcome", molehunt.Event{Kind: molehunt.EventIdentityVerification, IdentityVerification: &molehunt.IdentityVerificationDetail{Vendor: "persona", Selfie: "ok"}}, "identity_verification.selfie"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.e.Source, tc.e.SourceEventID, tc.e.Time = molehunt.SourceGen, "1", time.Unix(1, 0)
			var re *molehunt.RecordError
			if err := tc.e.Validate(); !errors.As(err, &re) || re.Field != tc.field {
				t.Fatalf("Validate: %v; want a *RecordError for field %q", err, tc.field)
			}
		})
	}
}

func TestEventID(t *testing.T) {
	id := molehunt.EventID(molehunt.SourceOkta, "a:b/c")
	if id != "okta:a:b/c" {
		t.Errorf("EventID = %q", id)
	}
	src, sid, ok := molehunt.ParseEventID(id)
	if !ok || src != molehunt.SourceOkta || sid != "a:b/c" {
		t.Errorf("ParseEventID(%q) = %q, %q, %v", id, src, sid, ok)
	}
	for _, bad := range []string{"", "okta", "okta:", "Okta:1", ":1"} {
		if _, _, ok := molehunt.ParseEventID(bad); ok {
			t.Errorf("ParseEventID(%q) ok; want not", bad)
		}
	}
}

func TestEventJSON(t *testing.T) {
	e := validEvent()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{`"auth"`, `"endpoint"`, `"subject_id"`, `"geo"`} {
		if strings.Contains(string(b), absent) {
			t.Errorf("JSON of a payment event has %s: %s", absent, b)
		}
	}
	var back molehunt.Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Payment == nil || *back.Payment != *e.Payment || string(back.Raw) != string(e.Raw) {
		t.Errorf("round trip: %+v", back)
	}
}

func TestRejectOf(t *testing.T) {
	err := fmt.Errorf("parse: %w", &molehunt.RecordError{File: "a.csv", Record: "line 3", Field: "amount", Err: errors.New("not a number")})
	got := molehunt.RejectOf(molehunt.SourcePayroll, "fallback.csv", err)
	want := molehunt.Reject{Source: molehunt.SourcePayroll, File: "a.csv", Record: "line 3", Field: "amount", Reason: "not a number"}
	if got != want {
		t.Errorf("RejectOf = %+v; want %+v", got, want)
	}
	plain := molehunt.RejectOf(molehunt.SourcePayroll, "b.csv", errors.New("boom"))
	if plain.File != "b.csv" || plain.Reason != "boom" {
		t.Errorf("RejectOf(plain) = %+v", plain)
	}
}

func TestPageLimit(t *testing.T) {
	for in, want := range map[int]int{-1: molehunt.DefaultPageLimit, 0: molehunt.DefaultPageLimit, 5: 5, 1 << 30: molehunt.MaxPageLimit} {
		if got := molehunt.PageLimit(in); got != want {
			t.Errorf("PageLimit(%d) = %d; want %d", in, got, want)
		}
	}
}
