package ident

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone returns a phone number in E.164 form ("+14155550100"). A number
// written without a country code is read as a number of defaultRegion (an
// ISO 3166-1 alpha-2 code such as "US"; "" accepts only international
// numbers). Numbers the numbering plan cannot hold are refused; extensions
// are dropped, since they do not identify a line.
func Phone(s, defaultRegion string) (string, error) {
	const op = "ident.Phone"
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid(op, "empty phone number")
	}
	region := strings.ToUpper(defaultRegion)
	if region == "" {
		// With no region, "00" is read as the common international prefix.
		region = "ZZ"
		if strings.HasPrefix(s, "00") {
			s = "+" + s[2:]
		}
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", invalid(op, "not a phone number: %v", err)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", invalid(op, "not a valid number in its country's numbering plan")
	}
	n.Extension = nil
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
