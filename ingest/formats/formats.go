// Package formats names every ingestion format molehunt reads and tells
// them apart by their content, for `molehunt ingest --source auto`.
package formats

import (
	"bytes"
	"path/filepath"
	"sort"
	"strings"

	"molehunt"
	"molehunt/ingest"
	"molehunt/ingest/ats"
	"molehunt/ingest/canonical"
	"molehunt/ingest/entra"
	"molehunt/ingest/google"
	"molehunt/ingest/nacha"
	"molehunt/ingest/okta"
	"molehunt/ingest/osquery"
	"molehunt/ingest/payroll"
	"molehunt/ingest/persona"
	"molehunt/ingest/shipping"
)

// Config carries the format switches that policy or locale decide.
type Config struct {
	// KeyboardAndLocale turns on osquery's keyboard-layout and locale
	// events (off by default: they are collected only by policy).
	KeyboardAndLocale bool
	// DayFirst reads slashed dates in CSV exports as day/month/year.
	DayFirst bool
}

// Names lists the formats `--source` accepts, besides "auto".
func Names() []string {
	names := []string{"okta", "entra", "google", "osquery", "greenhouse", "lever", "persona", "payroll", "nacha", "shipping", "jsonl", "csv"}
	sort.Strings(names)
	return names
}

// ByName returns the parser of a named format.
func ByName(name string, cfg Config) (ingest.Parser, error) {
	switch name {
	case "okta":
		return okta.New(), nil
	case "entra":
		return entra.New(), nil
	case "google":
		return google.New(), nil
	case "osquery":
		return osquery.New(osquery.Config{KeyboardAndLocale: cfg.KeyboardAndLocale}), nil
	case "greenhouse":
		return ats.New(molehunt.SourceGreenhouse), nil
	case "lever":
		return ats.New(molehunt.SourceLever), nil
	case "persona":
		return persona.New(), nil
	case "payroll":
		return payroll.New(payroll.Config{DayFirst: cfg.DayFirst}), nil
	case "nacha":
		return nacha.New(), nil
	case "shipping":
		return shipping.New(shipping.Config{DayFirst: cfg.DayFirst}), nil
	case "jsonl":
		return canonical.New(), nil
	case "csv":
		return canonical.NewSubjectCSV(), nil
	}
	return nil, molehunt.Errorf(molehunt.EInvalid, "ingest", "unknown source %q; want auto or one of %s", name, strings.Join(Names(), ", "))
}

// Detect names the format of an input from its file name and first bytes
// (a few KiB are plenty). It returns an error naming what it saw when no
// format fits, so the user can say --source.
func Detect(name string, head []byte) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	text := bytes.TrimLeft(head, "\ufeff \t\r\n")
	has := func(s ...string) bool {
		for _, x := range s {
			if !bytes.Contains(text, []byte(x)) {
				return false
			}
		}
		return true
	}
	switch {
	case ext == ".ach" || len(text) >= 94 && text[0] == '1' && bytes.HasPrefix(text, []byte("101")):
		return "nacha", nil
	case len(text) == 0:
		return "", molehunt.Errorf(molehunt.EInvalid, "ingest", "%s is empty", name)
	case text[0] == '{' || text[0] == '[':
		switch {
		case has(`"hostIdentifier"`) || has(`"diffResults"`) || has(`"snapshot"`, `"unixTime"`):
			return "osquery", nil
		case has(`"eventType"`) && (has(`"uuid"`) || has(`"published"`)):
			return "okta", nil
		case has(`"userPrincipalName"`) || has(`"createdDateTime"`, `"ipAddress"`):
			return "entra", nil
		case has(`"uniqueQualifier"`) || has(`admin#reports#activit`):
			return "google", nil
		case has(`"inquiry`) && has(`"attributes"`):
			return "persona", nil
		case has(`"opportunit`) || has(`"contact"`, `"stage"`) || has(`"origin"`, `"sources"`, `"stageChanges"`):
			return "lever", nil
		case has(`"applications"`) || has(`"candidate_id"`) || has(`"first_name"`, `"last_name"`, `"email_addresses"`):
			return "greenhouse", nil
		case has(`"type"`) && (has(`"subject"`) || has(`"event"`)):
			return "jsonl", nil
		}
	default:
		// Fold "Tracking Number" and "tracking-number" to tracking_number.
		header := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(string(firstLine(text))))
		switch {
		case strings.Contains(header, "tracking") || strings.Contains(header, "carrier") || strings.Contains(header, "asset_tag"):
			return "shipping", nil
		case strings.Contains(header, "routing") || strings.Contains(header, "pay_date") || strings.Contains(header, "account_number") || strings.Contains(header, "iban") || strings.Contains(header, "net_pay") || strings.Contains(header, "check_date") || strings.Contains(header, "record_type"):
			return "payroll", nil
		case strings.Contains(header, "name") && strings.Contains(header, ","):
			return "csv", nil
		}
	}
	return "", molehunt.Errorf(molehunt.EInvalid, "ingest", "cannot tell the format of %s from its content (starts %q); give --source", name, truncate(firstLine(text), 80))
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimSpace(b)
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
