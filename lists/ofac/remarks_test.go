package ofac

import (
	"testing"

	"molehunt"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseDOB(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"10 Dec 1948", []string{"1948-12-10"}},
		{"1946", []string{"1946"}},
		{"Sep 1938", []string{"1938-09"}},
		{"circa 1951", []string{"1951"}},
		{"circa 07 Jul 1966", []string{"1966-07-07"}},
		{"1951 to 1953", []string{"1951", "1952", "1953"}},
		{"01 Jan 1961 to 31 Dec 1962", []string{"1961", "1962"}},
		{"Mar 1962 to Feb 1963", []string{"1962-03", "1963-02"}},
		{"01 Jan 1960 to 15 Jun 1960", []string{"1960-01-01", "1960-06-15"}},
		{"circa 1979-1982", []string{"1979", "1980", "1981", "1982"}},
		{"1940 to 1960", []string{"1940", "1960"}}, // longer than maxRangeYears: endpoints
		{"1 Jan 1960", []string{"1960-01-01"}},
		{"12 September 1993", []string{"1993-09-12"}},
		{"1960 to sometime", []string{"1960"}},
		{"32 Jan 1960", nil},
		{"unknown", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, parseDOB(tt.in)); diff != "" {
				t.Errorf("parseDOB(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestParseRemarks runs remark strings copied from the real files.
func TestParseRemarks(t *testing.T) {
	tests := []struct {
		name   string
		typ    molehunt.EntityType
		remark string
		want   molehunt.ListEntry
	}{
		{
			name: "DPRK individual with passports (ent_num 18557)",
			typ:  molehunt.EntityPerson,
			remark: "DOB 08 Jun 1973; citizen Korea, North; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; " +
				"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; " +
				"Passport 472320665 (Korea, North) expires 26 Sep 2017; alt. Passport 563120356 (Korea, North) issued 19 Mar 2018; " +
				"Tanchon Commercial Bank Representative in Vietnam; Linked To: TANCHON COMMERCIAL BANK.",
			want: molehunt.ListEntry{
				BirthDates:   []string{"1973-06-08"},
				Citizenships: []string{"Korea, North"},
				Documents: []molehunt.IdentityDocument{
					{Type: "Passport", Number: "472320665", Country: "Korea, North", Expires: "2017-09-26"},
					{Type: "Passport", Number: "563120356", Country: "Korea, North", Issued: "2018-03-19"},
				},
			},
		},
		{
			name: "diplomatic passport and alt DOB (ent_num 18559)",
			typ:  molehunt.EntityPerson,
			remark: "DOB 18 Oct 1976; alt. DOB 25 Aug 1976; Passport 4721202031 (Korea, North) expires 21 Feb 2017; " +
				"Diplomatic Passport 836110035 expires 01 Jan 2020; Tanchon Commercial Bank Representative in Syria.",
			want: molehunt.ListEntry{
				BirthDates: []string{"1976-10-18", "1976-08-25"},
				Documents: []molehunt.IdentityDocument{
					{Type: "Passport", Number: "4721202031", Country: "Korea, North", Expires: "2017-02-21"},
					{Type: "Diplomatic Passport", Number: "836110035", Expires: "2020-01-01"},
				},
			},
		},
		{
			name:   "passport with a spaced prefix (DPRK)",
			typ:    molehunt.EntityPerson,
			remark: "Passport PS 472330208 (Korea, North) expires 04 Jul 2017.",
			want: molehunt.ListEntry{Documents: []molehunt.IdentityDocument{
				{Type: "Passport", Number: "PS 472330208", Country: "Korea, North", Expires: "2017-07-04"},
			}},
		},
		{
			name: "wallets, phones, weak aliases (ent_num 28264, joined with its continuation)",
			typ:  molehunt.EntityPerson,
			remark: "DOB 10 Jan 1987; nationality China; Gender Male; Digital Currency Address - XBT 1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE; " +
				"alt. Digital Currency Address - XBT 17UVSMegvrzfobKC82dHXpZLtLcqzW9stF; Phone Number 8613314257947; alt. Phone Number 8618004121000; " +
				"Identification Number 210302198701102136 (China); a.k.a. 'blackjack1987'; a.k.a. 'khaleesi'; Linked To: LAZARUS GROUP.",
			want: molehunt.ListEntry{
				BirthDates:    []string{"1987-01-10"},
				Nationalities: []string{"China"},
				Crypto: []molehunt.CryptoAddress{
					{Currency: "XBT", Address: "1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE"},
					{Currency: "XBT", Address: "17UVSMegvrzfobKC82dHXpZLtLcqzW9stF"},
				},
				Phones:    []string{"8613314257947", "8618004121000"},
				Documents: []molehunt.IdentityDocument{{Type: "Identification Number", Number: "210302198701102136", Country: "China"}},
				Names: []molehunt.Name{
					{Full: "blackjack1987", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
					{Full: "khaleesi", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak},
				},
			},
		},
		{
			name: "ETH and LTC wallets, Russian passport (ent_num 29703 continuation)",
			typ:  molehunt.EntityPerson,
			remark: "Digital Currency Address - ETH 0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c; Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201; " +
				"Phone Number 79315403678; Digital Currency Address - LTC LWnbjLYUfqeokfbWM4FcU7uk2FP2DSxuWS; Passport 4005504207 (Russia).",
			want: molehunt.ListEntry{
				Crypto: []molehunt.CryptoAddress{
					{Currency: "ETH", Address: "0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c"},
					{Currency: "LTC", Address: "LWnbjLYUfqeokfbWM4FcU7uk2FP2DSxuWS"},
				},
				Phones:    []string{"79315403678"},
				Documents: []molehunt.IdentityDocument{{Type: "Passport", Number: "4005504207", Country: "Russia"}},
			},
		},
		{
			name:   "weak alias of a bank (ent_num 306)",
			typ:    molehunt.EntityOrganization,
			remark: "a.k.a. 'BNC'.",
			want:   molehunt.ListEntry{Names: []molehunt.Name{{Full: "BNC", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak}}},
		},
		{
			name:   "weak alias with apostrophes and a person's comma, f.k.a.",
			typ:    molehunt.EntityPerson,
			remark: "a.k.a. 'AL-IBRAHIMI, Jamal Fa'far 'Ali'; f.k.a. 'SAM 5'.",
			want: molehunt.ListEntry{Names: []molehunt.Name{
				{Full: "AL-IBRAHIMI, Jamal Fa'far 'Ali", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak, Family: "AL-IBRAHIMI", Given: "Jamal Fa'far 'Ali"},
				{Full: "SAM 5", Kind: molehunt.NameFormerly, Quality: molehunt.NameWeak},
			}},
		},
		{
			name:   "alias cut off by the 1,000-character limit is not a name",
			typ:    molehunt.EntityOrganization,
			remark: "a.k.a. 'HIDDEN COBRA'; a.k.a. 'WHOIS HACKIN",
			want:   molehunt.ListEntry{Names: []molehunt.Name{{Full: "HIDDEN COBRA", Kind: molehunt.NameAlias, Quality: molehunt.NameWeak}}},
		},
		{
			name: "company identifiers (ent_num 34682)",
			typ:  molehunt.EntityOrganization,
			remark: "SWIFT/BIC ALFARUMM; Website alfabank.ru; alt. Website alfabank.com; BIK (RU) 044525593; Organization Established Date 1990; " +
				"Tax ID No. 7728168971 (Russia); Registration Number 1027700067328 (Russia).",
			want: molehunt.ListEntry{
				Websites: []string{"alfabank.ru", "alfabank.com"},
				Documents: []molehunt.IdentityDocument{
					{Type: "SWIFT/BIC", Number: "ALFARUMM"},
					{Type: "BIK (RU)", Number: "044525593"},
					{Type: "Tax ID No.", Number: "7728168971", Country: "Russia"},
					{Type: "Registration Number", Number: "1027700067328", Country: "Russia"},
				},
			},
		},
		{
			name:   "vessel IMO and MMSI",
			typ:    molehunt.EntityVessel,
			remark: "Vessel Registration Identification IMO 7406784; MMSI 572469210; Former Vessel Flag Malta; Nationality of Registration Korea, North.",
			want: molehunt.ListEntry{
				Nationalities: []string{"Korea, North"},
				Documents: []molehunt.IdentityDocument{
					{Type: "IMO", Number: "7406784"},
					{Type: "MMSI", Number: "572469210"},
				},
			},
		},
		{
			name: "Mexican identifiers with issue dates and a note",
			typ:  molehunt.EntityPerson,
			remark: "C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968; Folio Mercantil No. 343997 (Mexico) issued 14 Dec 2005; " +
				"Registration Number HRA 738077 (Stuttgart) (Germany); POB Culiacan, Sinaloa, Mexico; alt. POB Sonora, Mexico.",
			want: molehunt.ListEntry{
				BirthPlaces: []string{"Culiacan, Sinaloa, Mexico", "Sonora, Mexico"},
				Documents: []molehunt.IdentityDocument{
					{Type: "C.U.R.P.", Number: "AIMM67125HCHRRG06", Country: "Mexico", Issued: "1968"},
					{Type: "Folio Mercantil No.", Number: "343997", Country: "Mexico", Issued: "2005-12-14"},
					{Type: "Registration Number", Number: "HRA 738077", Country: "Germany", Note: "(Stuttgart)"},
				},
			},
		},
		{
			name:   "e-mail, telephone and bare web addresses",
			typ:    molehunt.EntityOrganization,
			remark: "Email Address dam.d.free@net.sy; Telephone (98)(21)(66153220); Fax (98)(21)(22224537); www.almanar.com.lb; info@sanabel.org.uk (email).",
			want: molehunt.ListEntry{
				Emails:   []string{"dam.d.free@net.sy", "info@sanabel.org.uk"},
				Websites: []string{"www.almanar.com.lb"},
				Phones:   []string{"(98)(21)(66153220)", "(98)(21)(22224537)"},
			},
		},
		{
			name:   "aircraft identifiers",
			typ:    molehunt.EntityAircraft,
			remark: "Aircraft Construction Number (also called L/N or S/N or F/N) 8401; Aircraft Manufacture Date 1992; Aircraft Model IL76-TD; Aircraft Manufacturer's Serial Number (MSN) 1023409321; Aircraft Tail Number EP-MMH.",
			want: molehunt.ListEntry{Documents: []molehunt.IdentityDocument{
				{Type: "Aircraft Construction Number", Number: "8401"},
				{Type: "Aircraft MSN", Number: "1023409321"},
				{Type: "Aircraft Tail Number", Number: "EP-MMH"},
			}},
		},
		{
			name:   "unparseable fragments are not errors",
			typ:    molehunt.EntityPerson,
			remark: "DOB sometime in the sixties; Passport ; Digital Currency Address - ; ICTY indictee at large.",
			want:   molehunt.ListEntry{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := molehunt.ListEntry{Type: tt.typ}
			parseRemarks(&got, tt.remark)
			tt.want.Type = tt.typ
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("parseRemarks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitPrograms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"SDGT] [IRGC", []string{"SDGT", "IRGC"}},
		{"[DPRK3]", []string{"DPRK3"}},
		{"CUBA", []string{"CUBA"}},
		{"FTO] [SDGT] [SYRIA", []string{"FTO", "SDGT", "SYRIA"}},
		{"CAATSA - RUSSIA", []string{"CAATSA - RUSSIA"}},
		{"", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, splitPrograms(tt.in)); diff != "" {
			t.Errorf("splitPrograms(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
