// Package storetest is the conformance suite of molehunt.Store: the
// behaviours every store must share, run against real databases by each
// adapter's own tests (sqlite, postgres) so that the embedded default and
// the scaled-out store cannot drift apart.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"molehunt"
)

// Opener returns a store for the test t, and registers its Close with
// t.Cleanup (Close must be safe to call twice). The first call for a given
// t opens fresh, empty storage; a later call with the same t, after the
// earlier store was closed, opens the same storage again, which is how the
// suite checks persistence across a restart.
type Opener func(t *testing.T) molehunt.Store

// Run runs the conformance suite, each behaviour as a subtest on a fresh
// store from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"SubjectUpsertGet", testSubjectUpsertGet},
		{"SubjectNotFound", testSubjectNotFound},
		{"FindSubjects", testFindSubjects},
		{"ListSubjects", testListSubjects},
		{"SubjectValidation", testSubjectValidation},
		{"EventRoundTrip", testEventRoundTrip},
		{"AppendIdempotent", testAppendIdempotent},
		{"EventValidation", testEventValidation},
		{"EventsBySubjectAndTime", testEventsBySubjectAndTime},
		{"UnresolvedAndResolve", testUnresolvedAndResolve},
		{"Rejects", testRejects},
		{"ConcurrentAppends", testConcurrentAppends},
		{"Reopen", testReopen},
		{"Cancelled", testCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// t0 is a fixed instant with microseconds, the precision stores keep.
var t0 = time.Date(2026, 3, 2, 14, 5, 6, 123456000, time.UTC)

// Subject returns a valid subject with the given id, for tests.
func Subject(id string, ids ...molehunt.Identifier) molehunt.Subject {
	return molehunt.Subject{
		ID:     id,
		Role:   molehunt.RoleEmployee,
		Status: molehunt.StatusActive,
		Names: []molehunt.Name{
			{Full: "Jane Doe " + id, Kind: molehunt.NamePrimary},
			{Full: "J. Doe", Kind: molehunt.NameAlias},
		},
		BirthDate: "1990-04",
		Country:   "US",
		City:      "Austin",
		TimeZone:  "America/Chicago",
		Addresses: []molehunt.Address{{Street: "1 Main St", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}},
		Identifiers: append([]molehunt.Identifier{
			{Kind: molehunt.IDEmail, Value: id + "@example.com"},
		}, ids...),
		HireDate: "2025-01-06",
		Sources:  []molehunt.SourceRef{{Source: molehunt.SourceGreenhouse, ID: "gh-" + id}},
	}
}

// digest is a well-formed keyed digest for tests.
func digest(seed string) string {
	return "k0000test:" + fmt.Sprintf("%064x", []byte(seed))[:64]
}

// Events returns one valid event of every kind, for the given source, id
// prefix and subject ("" for unresolved), an hour apart from start.
func Events(source molehunt.Source, prefix, subjectID string, start time.Time) []molehunt.Event {
	raw := func(i int) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"uuid": "%s-%d",  "note":"kept byte for byte",
 "n": 1.50}`, prefix, i))
	}
	evs := []molehunt.Event{
		{Kind: molehunt.EventAuthentication, Auth: &molehunt.AuthDetail{
			IP: netip.MustParseAddr("175.45.176.1"), UserAgent: "Mozilla/5.0", Outcome: molehunt.AuthSuccess,
			Application: "Okta Dashboard", MFAFactor: "push", MFADevice: "opf1", Geo: molehunt.Geo{Country: "US", City: "Austin", Lat: 30.27, Lon: -97.74},
		}, Actor: []molehunt.Identifier{{Kind: molehunt.IDLogin, Value: "jdoe@corp.example"}}},
		{Kind: molehunt.EventEndpoint, Endpoint: &molehunt.EndpointDetail{
			Host: "laptop-1", DeviceSerial: "C02X1234", HardwareUUID: "4C4C4544-0042-3510-8052-B4C04F4D4E32",
			Category: molehunt.EndpointUSBDevice, Action: "added", VendorID: "0557", ProductID: "2419", Vendor: "ATEN", Product: "KVM",
		}, Actor: []molehunt.Identifier{{Kind: molehunt.IDDeviceSerial, Value: "C02X1234"}}},
		{Kind: molehunt.EventPayment, Payment: &molehunt.PaymentDetail{
			PayeeName: "J DOE", AccountDigest: digest("acct"), Routing: "011000015", AmountMinor: 512345, Currency: "USD", Rail: molehunt.RailACH,
		}},
		{Kind: molehunt.EventPayrollChange, PayrollChange: &molehunt.PayrollChangeDetail{
			OldAccountDigest: digest("old"), NewAccountDigest: digest("new"), HolderName: "Someone Else",
		}},
		{Kind: molehunt.EventShipment, Shipment: &molehunt.ShipmentDetail{
			Address: molehunt.Address{Street: "10 Elm St Apt 2", City: "Dallas", Region: "TX", Country: "US"}, AssetTag: "A-1", Serial: "C02X1234", Carrier: "UPS",
		}},
		{Kind: molehunt.EventInterview, Interview: &molehunt.InterviewDetail{Video: molehunt.VideoOff, ClaimedLocation: "Austin, TX", ClaimedCountry: "US"}},
		{Kind: molehunt.EventHRChange, HRChange: &molehunt.HRChangeDetail{Field: "phone", Old: "+15125550100", New: "+15125550199"}},
		{Kind: molehunt.EventIdentityVerification, IdentityVerification: &molehunt.IdentityVerificationDetail{
			Vendor: "persona", InquiryID: "inq_1", DocumentType: "passport", Document: molehunt.CheckPassed,
			Selfie: molehunt.CheckFailed, Liveness: molehunt.CheckNeedsReview, Status: "needs_review",
		}},
	}
	for i := range evs {
		evs[i].Source = source
		evs[i].SourceEventID = fmt.Sprintf("%s-%d", prefix, i)
		evs[i].Time = start.Add(time.Duration(i) * time.Hour)
		evs[i].SubjectID = subjectID
		evs[i].Raw = raw(i)
	}
	return evs
}

func ctx(t *testing.T) context.Context { return t.Context() }

func wantCode(t *testing.T, err error, code molehunt.ErrorCode) {
	t.Helper()
	if got := molehunt.ErrorCodeOf(err); got != code {
		t.Fatalf("error %v has code %q; want %q", err, got, code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var eventCmp = []cmp.Option{cmpopts.EquateEmpty(), cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b json.RawMessage) bool { return string(a) == string(b) })}

func testSubjectUpsertGet(t *testing.T, open Opener) {
	s := open(t)
	a := Subject("s1", molehunt.Identifier{Kind: molehunt.IDPhone, Value: "+15125550100"})
	b := Subject("s2")
	b.Role, b.Status, b.BirthDate, b.Country, b.TimeZone = molehunt.RoleCandidate, "", "", "", ""
	created := t0.Add(-time.Hour)
	a.CreatedAt = created
	must(t, s.UpsertSubjects(ctx(t), []molehunt.Subject{a, b}))
	got, err := s.Subject(ctx(t), "s1")
	must(t, err)
	if !got.CreatedAt.Equal(created) || got.UpdatedAt.IsZero() {
		t.Errorf("CreatedAt %v, UpdatedAt %v; want %v and a set time", got.CreatedAt, got.UpdatedAt, created)
	}
	want := a
	want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("Subject(s1) mismatch (-want +got):\n%s", d)
	}
	gotB, err := s.Subject(ctx(t), "s2")
	must(t, err)
	if gotB.CreatedAt.IsZero() || gotB.Role != molehunt.RoleCandidate {
		t.Errorf("s2 = %+v; want a candidate with CreatedAt set", gotB)
	}

	// Replacing keeps CreatedAt and replaces the identifiers.
	a2 := Subject("s1", molehunt.Identifier{Kind: molehunt.IDPhone, Value: "+15125550199"})
	a2.Status = molehunt.StatusTerminated
	a2.UpdatedAt = t0
	must(t, s.UpsertSubjects(ctx(t), []molehunt.Subject{a2}))
	got, err = s.Subject(ctx(t), "s1")
	must(t, err)
	if !got.CreatedAt.Equal(created) || !got.UpdatedAt.Equal(t0) || got.Status != molehunt.StatusTerminated {
		t.Errorf("after replace: created %v updated %v status %q; want %v, %v, terminated", got.CreatedAt, got.UpdatedAt, got.Status, created, t0)
	}
	old, err := s.FindSubjects(ctx(t), molehunt.Identifier{Kind: molehunt.IDPhone, Value: "+15125550100"})
	must(t, err)
	if len(old) != 0 {
		t.Errorf("old phone still finds %d subjects; want 0", len(old))
	}
	if got.CreatedAt.Location() != time.UTC {
		t.Errorf("times come back in %v; want UTC", got.CreatedAt.Location())
	}
}

func testSubjectNotFound(t *testing.T, open Opener) {
	s := open(t)
	_, err := s.Subject(ctx(t), "nobody")
	wantCode(t, err, molehunt.ENotFound)
	_, err = s.Event(ctx(t), "okta:nothing")
	wantCode(t, err, molehunt.ENotFound)
	_, err = s.Event(ctx(t), "not an id")
	wantCode(t, err, molehunt.ENotFound)
}

func testFindSubjects(t *testing.T, open Opener) {
	s := open(t)
	phone := molehunt.Identifier{Kind: molehunt.IDPhone, Value: "+15125550100"}
	wallet := molehunt.Identifier{Kind: molehunt.IDWallet, Value: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}
	must(t, s.UpsertSubjects(ctx(t), []molehunt.Subject{
		Subject("b", phone), Subject("a", phone, wallet), Subject("c"),
	}))
	for _, tc := range []struct {
		name string
		id   molehunt.Identifier
		want []string
	}{
		{"shared phone", phone, []string{"a", "b"}},
		{"wallet", wallet, []string{"a"}},
		{"email", molehunt.Identifier{Kind: molehunt.IDEmail, Value: "c@example.com"}, []string{"c"}},
		{"same value other kind", molehunt.Identifier{Kind: molehunt.IDLogin, Value: "c@example.com"}, nil},
		{"unknown", molehunt.Identifier{Kind: molehunt.IDPhone, Value: "+442070313000"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subs, err := s.FindSubjects(ctx(t), tc.id)
			must(t, err)
			var got []string
			for _, sub := range subs {
				got = append(got, sub.ID)
			}
			if d := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("FindSubjects(%v) (-want +got):\n%s", tc.id, d)
			}
		})
	}
}

func testListSubjects(t *testing.T, open Opener) {
	s := open(t)
	var subs []molehunt.Subject
	for i := range 25 {
		sub := Subject(fmt.Sprintf("s%02d", i))
		if i%5 == 0 {
			sub.Role = molehunt.RoleContractor
		}
		subs = append(subs, sub)
	}
	must(t, s.UpsertSubjects(ctx(t), subs))
	var ids []string
	q := molehunt.SubjectQuery{Limit: 10}
	pages := 0
	for {
		page, err := s.ListSubjects(ctx(t), q)
		must(t, err)
		pages++
		for _, sub := range page.Subjects {
			ids = append(ids, sub.ID)
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if len(ids) != 25 || pages != 3 || ids[0] != "s00" || ids[24] != "s24" {
		t.Errorf("paged %d subjects in %d pages (%v); want 25 in 3, in ID order", len(ids), pages, ids)
	}
	page, err := s.ListSubjects(ctx(t), molehunt.SubjectQuery{Role: molehunt.RoleContractor})
	must(t, err)
	if len(page.Subjects) != 5 || page.Next != "" {
		t.Errorf("contractors: %d, next %q; want 5 and no next page", len(page.Subjects), page.Next)
	}
}

func testSubjectValidation(t *testing.T, open Opener) {
	s := open(t)
	good := Subject("ok")
	for _, tc := range []struct {
		name, field string
		mutate      func(*molehunt.Subject)
	}{
		{"no id", "id", func(s *molehunt.Subject) { s.ID = "" }},
		{"bad role", "role", func(s *molehunt.Subject) { s.Role = "spy" }},
		{"no name", "names", func(s *molehunt.Subject) { s.Names = nil }},
		{"bad birth date", "birth_date", func(s *molehunt.Subject) { s.BirthDate = "1990-13-01" }},
		{"bad country", "country", func(s *molehunt.Subject) { s.Country = "usa" }},
		{"bad zone", "time_zone", func(s *molehunt.Subject) { s.TimeZone = "Mars/Olympus" }},
		{"raw bank account", "identifiers[1]", func(s *molehunt.Subject) {
			s.Identifiers = append(s.Identifiers, molehunt.Identifier{Kind: molehunt.IDBankAccount, Value: "123456789"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := Subject("bad")
			tc.mutate(&bad)
			err := s.UpsertSubjects(ctx(t), []molehunt.Subject{good, bad})
			wantCode(t, err, molehunt.EInvalid)
			var re *molehunt.RecordError
			if !errors.As(err, &re) || re.Field != tc.field {
				t.Errorf("error %v: want a *RecordError for field %q", err, tc.field)
			}
			if _, err := s.Subject(ctx(t), "ok"); molehunt.ErrorCodeOf(err) != molehunt.ENotFound {
				t.Errorf("the valid subject of a refused batch was stored (%v); want nothing stored", err)
			}
		})
	}
}

func testEventRoundTrip(t *testing.T, open Opener) {
	s := open(t)
	must(t, s.UpsertSubjects(ctx(t), []molehunt.Subject{Subject("s1")}))
	evs := Events(molehunt.SourceOkta, "rt", "s1", t0)
	res, err := s.AppendEvents(ctx(t), evs)
	must(t, err)
	if res != (molehunt.AppendResult{Accepted: len(evs)}) {
		t.Errorf("AppendEvents = %+v; want %d accepted", res, len(evs))
	}
	for _, e := range evs {
		if want := molehunt.EventID(e.Source, e.SourceEventID); e.ID != want {
			t.Errorf("event %s: ID %q; want it filled with %q", e.SourceEventID, e.ID, want)
		}
		got, err := s.Event(ctx(t), e.ID)
		must(t, err)
		if d := cmp.Diff(e, got, eventCmp...); d != "" {
			t.Errorf("%s event mismatch (-want +got):\n%s", e.Kind, d)
		}
	}
	// A time with nanoseconds and a zone comes back in UTC, to the microsecond.
	odd := Events(molehunt.SourceOkta, "tz", "s1", time.Date(2026, 1, 1, 9, 0, 0, 123456789, time.FixedZone("KST", 9*3600)))[:1]
	_, err = s.AppendEvents(ctx(t), odd)
	must(t, err)
	got, err := s.Event(ctx(t), odd[0].ID)
	must(t, err)
	if want := time.Date(2026, 1, 1, 0, 0, 0, 123456000, time.UTC); !got.Time.Equal(want) || got.Time.Location() != time.UTC {
		t.Errorf("time %v; want %v", got.Time, want)
	}
}

func testAppendIdempotent(t *testing.T, open Opener) {
	s := open(t)
	must(t, s.UpsertSubjects(ctx(t), []molehunt.Subject{Subject("s1")}))
	batch := Events(molehunt.SourceOkta, "dup", "s1", t0)
	res, err := s.AppendEvents(ctx(t), batch)
	must(t, err)
	if res != (molehunt.AppendResult{Accepted: 8}) {
		t.Fatalf("first append = %+v; want 8 accepted", res)
	}
	// The same batch again, as fresh values without IDs, with changed
	// content: all duplicates, and the first delivery stays.
	again := Events(molehunt.SourceOkta, "dup", "", t0.Add(time.Minute))
	res, err = s.AppendEvents(ctx(t), again)
	must(t, err)
	if res != (molehunt.AppendResult{Duplicates: 8}) {
		t.Errorf("second append = %+v; want 8 duplicates", res)
	}
	// Repeats inside one batch, and the same source id from another source.
	mixed := append(Events(molehunt.SourceOkta, "new", "s1", t0), Events(molehunt.SourceOkta, "new", "s1", t0)[:3]...)
	mixed = append(mixed, Events(molehunt.SourceEntra, "dup", "s1", t0)[:2]...)
	res, err = s.AppendEvents(ctx(t), mixed)
	must(t, err)
	if res != (molehunt.AppendResult{Accepted: 10, Duplicates: 3}) {
		t.Errorf("mixed append = %+v; want 10 accepted, 3 duplicates", res)
	}
	page, err := s.Events(ctx(t), molehunt.EventQuery{SubjectID: "s1", Limit: 1000})
	must(t, err)
	if len(page.Events) != 18 {
		t.Errorf("subject has %d events; want 18, nothing doubled", len(page.Events))
	}
	first, err := s.Event(ctx(t), batch[0].ID)
	must(t, err)
	if !first.Time.Equal(t0) || first.SubjectID != "s1" {
		t.Errorf("a duplicate changed the stored event: %v %q", first.Time, first.SubjectID)
	}
	res, err = s.AppendEvents(ctx(t), nil)
	must(t, err)
	if res != (molehunt.AppendResult{}) {
		t.Errorf("empty append = %+v; want zero", res)
	}
}

func testEventValidation(t *testing.T, open Opener) {
	s := open(t)
	for _, tc := range []struct {
		name, field string
		mutate      func(*molehunt.Event)
	}{
		{"no source id", "source_event_id", func(e *molehunt.Event) { e.SourceEventID = "" }},
		{"foreign id", "id", func(e *molehunt.Event) { e.ID = "ev_123" }},
		{"bad source", "source", func(e *molehunt.Event) { e.Source = "Okta Prod" }},
		{"no time", "time", func(e *molehunt.Event) { e.Time = time.Time{} }},
		{"bad kind", "kind", func(e *molehunt.Event) { e.Kind = "telepathy" }},
		{"detail missing", "auth", func(e *molehunt.Event) { e.Auth = nil }},
		{"second detail", "payment", func(e *molehunt.Event) { e.Payment = &molehunt.PaymentDetail{} }},
		{"bad outcome", "auth.outcome", func(e *molehunt.Event) { e.Auth.Outcome = "maybe" }},
		{"raw not JSON", "raw", func(e *molehunt.Event) { e.Raw = json.RawMessage(`{"a":`) }},
		{"bad actor", "actor[0]", func(e *molehunt.Event) { e.Actor[0].Kind = "aura" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs := Events(molehunt.SourceOkta, "v-"+tc.name, "", t0)
			tc.mutate(&evs[0])
			evs[0], evs[1] = evs[1], evs[0] // a valid event first
			_, err := s.AppendEvents(ctx(t), evs)
			wantCode(t, err, molehunt.EInvalid)
			var re *molehunt.RecordError
			if !errors.As(err, &re) || re.Field != tc.field {
				t.Errorf("error %v: want a *RecordError for field %q", err, tc.field)
			}
			page, err := s.UnresolvedEvents(ctx(t), molehunt.EventQuery{})
			must(t, err)
			if len(page.Events) != 0 {
				t.Errorf("%d events of a refused batch were stored; want none", len(page.Events))
			}
		})
	}
}

func testEventsBySubjectAndTime(t *testing.T, open Opener) {
	s := open(t)
	must(t, s.UpsertSubjects(ctx(t), []molehunt.Subject{Subject("s1"), Subject("s2")}))
	_, err := s.AppendEvents(ctx(t), append(Events(molehunt.SourceOkta, "a", "s1", t0), Events(molehunt.SourceOkta, "b", "s2", t0)...))
	must(t, err)
	ids := func(p molehunt.EventPage) []string {
		var out []string
		for _, e := range p.Events {
			out = append(out, e.SourceEventID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    molehunt.EventQuery
		want []string
	}{
		{"all of s1", molehunt.EventQuery{SubjectID: "s1"}, []string{"a-0", "a-1", "a-2", "a-3", "a-4", "a-5", "a-6", "a-7"}},
		{"from inclusive, to exclusive", molehunt.EventQuery{SubjectID: "s1", From: t0.Add(2 * time.Hour), To: t0.Add(5 * time.Hour)}, []string{"a-2", "a-3", "a-4"}},
		{"kinds", molehunt.EventQuery{SubjectID: "s2", Kinds: []molehunt.EventKind{molehunt.EventPayment, molehunt.EventAuthentication}}, []string{"b-0", "b-2"}},
		{"nothing before", molehunt.EventQuery{SubjectID: "s1", To: t0}, nil},
		{"unknown subject", molehunt.EventQuery{SubjectID: "s9"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.Events(ctx(t), tc.q)
			must(t, err)
			if d := cmp.Diff(tc.want, ids(p), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	t.Run("paging", func(t *testing.T) {
		// Two events at the same instant must both be paged over.
		same := Events(molehunt.SourceOkta, "same", "s1", t0.Add(3*time.Hour))[:2]
		same[1].Time = same[0].Time
		_, err := s.AppendEvents(ctx(t), same)
		must(t, err)
		var got []string
		q := molehunt.EventQuery{SubjectID: "s1", Limit: 3}
		for range 10 {
			p, err := s.Events(ctx(t), q)
			must(t, err)
			got = append(got, ids(p)...)
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		if len(got) != 10 {
			t.Errorf("paged over %d events (%v); want 10", len(got), got)
		}
		seen := map[string]bool{}
		for _, id := range got {
			if seen[id] {
				t.Errorf("event %s on two pages", id)
			}
			seen[id] = true
		}
	})
	t.Run("errors", func(t *testing.T) {
		_, err := s.Events(ctx(t), molehunt.EventQuery{})
		wantCode(t, err, molehunt.EInvalid)
		_, err = s.Events(ctx(t), molehunt.EventQuery{SubjectID: "s1", After: "garbage"})
		wantCode(t, err, molehunt.EInvalid)
	})
}

func testUnresolvedAndResolve(t *testing.T, open Opener) {
	s := open(t)
	must(t, s.UpsertSubjects(ctx(t), []molehunt.Subject{Subject("s1")}))
	_, err := s.AppendEvents(ctx(t), append(Events(molehunt.SourceOkta, "u", "", t0), Events(molehunt.SourceOkta, "r", "s1", t0)...))
	must(t, err)
	p, err := s.UnresolvedEvents(ctx(t), molehunt.EventQuery{})
	must(t, err)
	if len(p.Events) != 8 {
		t.Fatalf("%d unresolved; want 8", len(p.Events))
	}
	for _, e := range p.Events {
		if e.SubjectID != "" || len(e.Raw) == 0 {
			t.Errorf("unresolved event %s: subject %q, raw %d bytes", e.SourceEventID, e.SubjectID, len(e.Raw))
		}
	}
	p2, err := s.UnresolvedEvents(ctx(t), molehunt.EventQuery{Kinds: []molehunt.EventKind{molehunt.EventAuthentication}})
	must(t, err)
	if len(p2.Events) != 1 || len(p2.Events[0].Actor) != 1 {
		t.Errorf("unresolved authentication events: %+v; want one, with its actor", p2.Events)
	}

	// Unknown event or subject: nothing changes.
	wantCode(t, s.ResolveEvents(ctx(t), []molehunt.Resolution{{EventID: p.Events[0].ID, SubjectID: "s1"}, {EventID: "okta:nothing", SubjectID: "s1"}}), molehunt.ENotFound)
	wantCode(t, s.ResolveEvents(ctx(t), []molehunt.Resolution{{EventID: p.Events[0].ID, SubjectID: "nobody"}}), molehunt.ENotFound)
	p3, err := s.UnresolvedEvents(ctx(t), molehunt.EventQuery{})
	must(t, err)
	if len(p3.Events) != 8 {
		t.Errorf("%d unresolved after failed resolutions; want 8", len(p3.Events))
	}

	var rs []molehunt.Resolution
	for _, e := range p.Events[:5] {
		rs = append(rs, molehunt.Resolution{EventID: e.ID, SubjectID: "s1"})
	}
	must(t, s.ResolveEvents(ctx(t), rs))
	p4, err := s.UnresolvedEvents(ctx(t), molehunt.EventQuery{})
	must(t, err)
	if len(p4.Events) != 3 {
		t.Errorf("%d unresolved after resolving 5 of 8; want 3", len(p4.Events))
	}
	mine, err := s.Events(ctx(t), molehunt.EventQuery{SubjectID: "s1"})
	must(t, err)
	if len(mine.Events) != 13 {
		t.Errorf("s1 has %d events; want 13", len(mine.Events))
	}
	e, err := s.Event(ctx(t), p.Events[0].ID)
	must(t, err)
	if e.SubjectID != "s1" {
		t.Errorf("resolved event has subject %q; want s1", e.SubjectID)
	}
}

func testRejects(t *testing.T, open Opener) {
	s := open(t)
	first := []molehunt.Reject{
		{Source: molehunt.SourceOkta, File: "okta.json", Record: "line 3", Field: "published", Reason: "not a time"},
		molehunt.RejectOf(molehunt.SourceOkta, "okta.json", &molehunt.RecordError{Record: "line 9", Field: "actor.alternateId", Err: errors.New("empty")}),
	}
	second := []molehunt.Reject{{Source: molehunt.SourceOkta, File: "okta2.json", Record: "line 1", Reason: "not JSON"}}
	must(t, s.AppendRejects(ctx(t), "run-1", first))
	must(t, s.AppendRejects(ctx(t), "run-2", []molehunt.Reject{{File: "x", Reason: "y"}}))
	must(t, s.AppendRejects(ctx(t), "run-1", second))
	got, err := s.Rejects(ctx(t), "run-1")
	must(t, err)
	if d := cmp.Diff(append(first, second...), got); d != "" {
		t.Errorf("Rejects(run-1) (-want +got):\n%s", d)
	}
	none, err := s.Rejects(ctx(t), "run-unknown")
	must(t, err)
	if len(none) != 0 {
		t.Errorf("unknown run has %d rejects; want 0", len(none))
	}
	wantCode(t, s.AppendRejects(ctx(t), "", first), molehunt.EInvalid)
}

func testConcurrentAppends(t *testing.T, open Opener) {
	s := open(t)
	const workers, batches = 6, 5
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		accepted int
		dups     int
	)
	for w := range workers {
		wg.Go(func() {
			for b := range batches {
				// Every worker sends batch b of the same two sources, so
				// each event is offered `workers` times.
				evs := Events(molehunt.SourceOsquery, fmt.Sprintf("b%d", b), "", t0.Add(time.Duration(b)*24*time.Hour))
				if w%2 == 1 {
					for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
						evs[i], evs[j] = evs[j], evs[i]
					}
				}
				res, err := s.AppendEvents(ctx(t), evs)
				if err != nil {
					t.Errorf("worker %d batch %d: %v", w, b, err)
					return
				}
				mu.Lock()
				accepted += res.Accepted
				dups += res.Duplicates
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	const unique = batches * 8
	if accepted != unique || dups != unique*(workers-1) {
		t.Errorf("accepted %d, duplicates %d; want %d and %d", accepted, dups, unique, unique*(workers-1))
	}
	p, err := s.UnresolvedEvents(ctx(t), molehunt.EventQuery{Limit: 1000})
	must(t, err)
	if len(p.Events) != unique {
		t.Errorf("%d events stored; want %d", len(p.Events), unique)
	}
}

func testReopen(t *testing.T, open Opener) {
	s := open(t)
	must(t, s.UpsertSubjects(ctx(t), []molehunt.Subject{Subject("s1")}))
	evs := Events(molehunt.SourcePayroll, "p", "", t0)
	_, err := s.AppendEvents(ctx(t), evs)
	must(t, err)
	must(t, s.AppendRejects(ctx(t), "run", []molehunt.Reject{{File: "f", Reason: "r"}}))
	must(t, s.Close())

	s2 := open(t)
	sub, err := s2.Subject(ctx(t), "s1")
	must(t, err)
	if sub.ID != "s1" {
		t.Errorf("after reopen: subject %q; want s1", sub.ID)
	}
	res, err := s2.AppendEvents(ctx(t), Events(molehunt.SourcePayroll, "p", "", t0))
	must(t, err)
	if res != (molehunt.AppendResult{Duplicates: len(evs)}) {
		t.Errorf("after reopen, the same batch = %+v; want all duplicates", res)
	}
	got, err := s2.Event(ctx(t), evs[2].ID)
	must(t, err)
	if d := cmp.Diff(evs[2], got, eventCmp...); d != "" {
		t.Errorf("after reopen (-want +got):\n%s", d)
	}
	rej, err := s2.Rejects(ctx(t), "run")
	must(t, err)
	if len(rej) != 1 {
		t.Errorf("after reopen: %d rejects; want 1", len(rej))
	}
}

func testCancelled(t *testing.T, open Opener) {
	s := open(t)
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	_, err := s.AppendEvents(c, Events(molehunt.SourceOkta, "x", "", t0))
	if err == nil {
		t.Fatal("append with a cancelled context succeeded")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v; want it to wrap context.Canceled", err)
	}
	p, err := s.UnresolvedEvents(ctx(t), molehunt.EventQuery{})
	must(t, err)
	if len(p.Events) != 0 {
		t.Errorf("%d events stored by a cancelled append; want 0", len(p.Events))
	}
}
