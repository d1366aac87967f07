package link_test

import (
	"testing"
	"time"

	"molehunt"
	"molehunt/link"
)

// FuzzAdd feeds arbitrary identifier values, referral texts and shipment
// addresses: Add must never panic, and a rebuild must agree with it.
func FuzzAdd(f *testing.F) {
	f.Add("mh1:8c43220b9ea95a04c1539a4d3b391d60", "ce62542e190b71a3", "greenhouse user 5 A B (employee E1)", "12 Oak Ave Apt 4B", "73.1.2.3")
	f.Add("mh1:zz", "0x12", "(employee ", "", "::1")
	f.Add(":", "", "(employee )", "#", "")
	f.Fuzz(func(t *testing.T, resume, photo, referral, street, ip string) {
		g := link.New(link.Config{Cap: 2})
		for i, id := range []string{"a", "b", "c"} {
			s := molehunt.Subject{ID: id, Names: []molehunt.Name{{Full: referral}}, Identifiers: []molehunt.Identifier{
				{Kind: molehunt.IDResumeFingerprint, Value: resume}, {Kind: molehunt.IDPhotoHash, Value: photo},
				{Kind: molehunt.IDPostalAddress, Value: street}, {Kind: molehunt.IDLogin, Value: ip},
			}, Sources: []molehunt.SourceRef{{Source: "hris", ID: "E1"}}}
			ev := []molehunt.Event{
				{Kind: molehunt.EventHRChange, Source: "greenhouse", Time: time.Unix(int64(i), 0), HRChange: &molehunt.HRChangeDetail{Field: "referred_by", New: referral}},
				{Kind: molehunt.EventShipment, Source: "shipping", Shipment: &molehunt.ShipmentDetail{Address: molehunt.Address{Street: street, City: referral}}},
				{Kind: molehunt.EventPayment, Source: "payroll", Payment: &molehunt.PaymentDetail{AccountDigest: resume, PayeeName: photo}},
			}
			if err := g.Add(s, ev); err != nil {
				t.Fatal(err)
			}
		}
		before := g.Clusters()
		g.Rebuild()
		if after := g.Clusters(); len(after) != len(before) {
			t.Fatalf("rebuild: %d clusters; incremental %d", len(after), len(before))
		}
		_ = g.Infrastructure()
	})
}

// TestAddRefusesAnotherSubjectsEvent checks the one input error of Add.
func TestAddRefusesAnotherSubjectsEvent(t *testing.T) {
	g := link.New(link.Config{})
	err := g.Add(molehunt.Subject{ID: "a"}, []molehunt.Event{{SubjectID: "b"}})
	if molehunt.ErrorCodeOf(err) != molehunt.EInvalid || err == nil {
		t.Fatalf("Add: %v; want EInvalid", err)
	}
	if err := g.Add(molehunt.Subject{}, nil); molehunt.ErrorCodeOf(err) != molehunt.EInvalid || err == nil {
		t.Fatalf("Add without id: %v; want EInvalid", err)
	}
}
