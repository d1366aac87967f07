// Package ofac reads the sanctions lists of the US Treasury's Office of
// Foreign Assets Control and maps them to molehunt.ListEntry.
//
// Two formats are read:
//
//   - the legacy CSV set (sdn.csv + alt.csv + add.csv + sdn_comments.csv for
//     the SDN list, cons_*.csv for the consolidated non-SDN list): header-less,
//     quoted, "-0-" for null, often ending with a 0x1A byte. Most of the
//     structured data (dates of birth, documents, wallets, ...) is only in the
//     free-text Remarks column, which this package parses; see parseRemarks.
//   - the Enhanced XML (CONS_ENHANCED.ZIP / CONS_ENHANCED.XML), where the same
//     data comes as typed elements, decoded one <entity> at a time.
//
// Mapping choices that a reader of the results should know:
//
//   - SDN_Type "individual" is a person, "vessel" a vessel, "aircraft" an
//     aircraft, and a null type an organisation.
//   - Individuals' names are "FAMILY, Given Names"; Full keeps the listed
//     text and Family/Given are split at the first ", ".
//   - OFAC's low-quality ("weak") aliases are listed only in Remarks as
//     a.k.a. 'X' (or f.k.a./n.k.a.); they become Names with Quality weak. In
//     the Enhanced XML they are the names with isLowQuality true.
//   - A date-of-birth range ("DOB 1958 to 1960", "DOB 01 Jan 1961 to 31 Dec
//     1962") yields every year of the range when it spans whole years and at
//     most maxRangeYears years, else its two endpoints at their own precision.
//     "circa" is dropped (the domain keeps approximate dates as plain values).
//   - Vessel call signs, IMO and MMSI numbers and aircraft serial and tail
//     numbers become Documents, like passports and registration numbers, so
//     screening can match them as identifiers. A vessel's flag is put in
//     Nationalities, as the Enhanced XML's "Nationality of Registration" is.
//   - Remarks keeps the full remark text (with the sdn_comments continuation
//     joined); the vessel columns that have no field of their own (type,
//     tonnage, GRT, owner) are appended to it.
package ofac

// SDNFiles are the base names of the legacy CSV set of the SDN list, primary
// file first.
var SDNFiles = []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}

// ConsFiles are the base names of the legacy CSV set of the consolidated
// (non-SDN) list, primary file first.
var ConsFiles = []string{"cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"}

// EnhancedFile is the name of the Enhanced XML archive of the consolidated
// list; it holds one CONS_ENHANCED.XML.
const EnhancedFile = "CONS_ENHANCED.ZIP"

const slsExports = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

// OfficialURLs maps each file name of SDNFiles, ConsFiles and EnhancedFile
// to its download URL at OFAC's Sanctions List Service, where the old
// treasury.gov/ofac/downloads addresses now redirect. The service serves the
// names in upper case; the content is the same.
var OfficialURLs = map[string]string{
	"sdn.csv":           slsExports + "SDN.CSV",
	"alt.csv":           slsExports + "ALT.CSV",
	"add.csv":           slsExports + "ADD.CSV",
	"sdn_comments.csv":  slsExports + "SDN_COMMENTS.CSV",
	"cons_prim.csv":     slsExports + "CONS_PRIM.CSV",
	"cons_alt.csv":      slsExports + "CONS_ALT.CSV",
	"cons_add.csv":      slsExports + "CONS_ADD.CSV",
	"cons_comments.csv": slsExports + "CONS_COMMENTS.CSV",
	EnhancedFile:        slsExports + "CONS_ENHANCED.ZIP",
}
