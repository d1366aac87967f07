package ident

import (
	"net/url"
	"strings"
	"unicode"
)

// trackingParams are query parameters that say where a click came from,
// never which page it is.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"igshid": true, "ref": true, "ref_src": true, "trk": true, "trkinfo": true, "originalsubdomain": true,
	"lipi": true, "licu": true, "si": true, "source": true, "tab": true, "_hsenc": true, "_hsmi": true,
}

// ProfileURL returns the canonical form of a public profile link: https,
// host lower-case without "www." or "m.", no user info, port, fragment,
// tracking parameters (utm_*, fbclid, trk, ...) or trailing slash. A link
// without a scheme ("github.com/octocat") is accepted.
//
// LinkedIn and GitHub profiles get their handle form, since the same
// person's link is written many ways: any LinkedIn host
// (uk.linkedin.com, linkedin.com/in/Name/details/…) becomes
// "https://linkedin.com/in/<handle>", lower-case; a GitHub link to a user
// or to one of their repositories becomes "https://github.com/<user>",
// lower-case (GitHub names are case-insensitive).
func ProfileURL(s string) (string, error) {
	const op = "ident.ProfileURL"
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid(op, "empty URL")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", invalid(op, "not a URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", invalid(op, "scheme %q; want http or https", u.Scheme)
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimRight(host, ".")
	for _, p := range []string{"www.", "m.", "mobile."} {
		host = strings.TrimPrefix(host, p)
	}
	if !validHost(host) {
		return "", invalid(op, "not a URL: bad host %q", host)
	}
	segs := pathSegments(u.EscapedPath())
	switch {
	case host == "linkedin.com" || strings.HasSuffix(host, ".linkedin.com"):
		if len(segs) >= 2 && (segs[0] == "in" || segs[0] == "pub" || segs[0] == "company" || segs[0] == "school") {
			handle, err := url.PathUnescape(segs[1])
			if err != nil || handle == "" {
				return "", invalid(op, "bad LinkedIn handle")
			}
			kind := segs[0]
			if kind == "pub" {
				kind = "in"
			}
			return "https://linkedin.com/" + kind + "/" + url.PathEscape(strings.ToLower(handle)), nil
		}
		host = "linkedin.com"
	case host == "github.com":
		if len(segs) >= 1 && !githubReserved[strings.ToLower(segs[0])] {
			return "https://github.com/" + strings.ToLower(segs[0]), nil
		}
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			q.Del(k)
		}
	}
	out := "https://" + host
	if len(segs) > 0 {
		out += "/" + strings.Join(segs, "/")
	}
	if enc := q.Encode(); enc != "" {
		out += "?" + enc
	}
	return out, nil
}

// githubReserved are first path segments of github.com that are not users.
var githubReserved = map[string]bool{
	"orgs": true, "settings": true, "about": true, "features": true, "topics": true,
	"explore": true, "marketplace": true, "sponsors": true, "login": true, "search": true,
}

func pathSegments(p string) []string {
	var segs []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	return segs
}

// validHost accepts dotted names of letters, digits and hyphens.
func validHost(h string) bool {
	if h == "" || !strings.Contains(h, ".") || strings.HasPrefix(h, ".") || strings.Contains(h, "..") {
		return false
	}
	for _, r := range h {
		if r != '.' && r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
