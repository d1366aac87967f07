package enrich

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"molehunt"
	"molehunt/enrich/ipdb"
)

//go:embed data/VERSIONS data/email/*.txt.gz data/phone/*.txt.gz data/netintel/*.txt.gz
var dataFS embed.FS

// static is the data that never changes while the program runs: hosting
// and VPN lists, e-mail domain lists and disposable phone numbers.
type static struct {
	versions map[string]string

	hostingASN, vpnASN map[uint32]string // AS number → the list's comment
	hostingNet, vpnNet *ipdb.Set

	free, disposable, suspicious []string // sorted domains
	phones                       []string // sorted "+E164 YYYY-MM-DD"
}

var loadStatic = sync.OnceValues(func() (*static, error) {
	st, err := readStatic()
	if err != nil {
		return nil, &molehunt.Error{Code: molehunt.EInternal, Op: "enrich.New", Message: "embedded data", Err: err}
	}
	return st, nil
})

func readStatic() (*static, error) {
	st := &static{versions: map[string]string{}}
	vb, err := dataFS.ReadFile("data/VERSIONS")
	if err != nil {
		return nil, err
	}
	for _, l := range strings.Split(strings.TrimSpace(string(vb)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			st.versions[k] = v
		}
	}
	st.versions["phonenumbers"] = moduleVersion("github.com/nyaruka/phonenumbers", "v1.8.1")

	open := func(name string) (io.Reader, error) {
		b, err := dataFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return zr, nil
	}
	asn := func(name string) (map[uint32]string, error) {
		r, err := open(name)
		if err != nil {
			return nil, err
		}
		return parseASNList(name, r)
	}
	nets := func(names ...string) (*ipdb.Set, error) {
		var all []netip.Prefix
		for _, n := range names {
			r, err := open(n)
			if err != nil {
				return nil, err
			}
			ps, err := parseCIDRList(n, r)
			if err != nil {
				return nil, err
			}
			all = append(all, ps...)
		}
		return ipdb.NewSet(all), nil
	}
	lines := func(name string) ([]string, error) {
		r, err := open(name)
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out := strings.Split(strings.TrimSpace(string(b)), "\n")
		if !slices.IsSorted(out) {
			return nil, fmt.Errorf("%s: not sorted", name)
		}
		return out, nil
	}
	if st.hostingASN, err = asn("data/netintel/datacenter-ASN.txt.gz"); err != nil {
		return nil, err
	}
	if st.vpnASN, err = asn("data/netintel/vpn-ASN.txt.gz"); err != nil {
		return nil, err
	}
	if st.hostingNet, err = nets("data/netintel/datacenter-ipv4.txt.gz", "data/netintel/datacenter-ipv6.txt.gz"); err != nil {
		return nil, err
	}
	if st.vpnNet, err = nets("data/netintel/vpn-ipv4.txt.gz", "data/netintel/vpn-ipv6.txt.gz"); err != nil {
		return nil, err
	}
	if st.free, err = lines("data/email/free.txt.gz"); err != nil {
		return nil, err
	}
	if st.disposable, err = lines("data/email/disposable.txt.gz"); err != nil {
		return nil, err
	}
	if st.suspicious, err = lines("data/email/suspicious.txt.gz"); err != nil {
		return nil, err
	}
	if st.phones, err = lines("data/phone/disposable.txt.gz"); err != nil {
		return nil, err
	}
	return st, nil
}

// moduleVersion returns the version of a module linked into the binary,
// or fallback when the build carries no module information.
func moduleVersion(path, fallback string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return fallback
}

// maxLine bounds one line of an operator-supplied list.
const maxLine = 64 << 10

func lineError(name string, line int, field string, err error) error {
	return &molehunt.RecordError{File: name, Record: "line " + strconv.Itoa(line), Field: field, Err: err}
}

// scanLines calls fn with each line of r, stripped of a "#" comment and
// surrounding space; blank lines are skipped.
func scanLines(name string, r io.Reader, fn func(line int, s string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	n := 0
	for sc.Scan() {
		n++
		s := sc.Text()
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if err := fn(n, s); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return lineError(name, n+1, "", err)
	}
	return nil
}

// parseASNList reads the X4BNet ASN list form: "AS<number> # comment" a
// line. It returns each number with its comment, which names the network.
func parseASNList(name string, r io.Reader) (map[uint32]string, error) {
	out := map[uint32]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	n := 0
	for sc.Scan() {
		n++
		s, comment, _ := strings.Cut(sc.Text(), "#")
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		num := strings.TrimPrefix(strings.TrimPrefix(s, "AS"), "as")
		x, err := strconv.ParseUint(num, 10, 32)
		if err != nil || x == 0 {
			return nil, lineError(name, n, "asn", errors.New(`want "AS<number>"`))
		}
		out[uint32(x)] = strings.TrimSpace(comment)
	}
	if err := sc.Err(); err != nil {
		return nil, lineError(name, n+1, "", err)
	}
	return out, nil
}

// parseCIDRList reads one CIDR prefix (or bare address) a line.
func parseCIDRList(name string, r io.Reader) ([]netip.Prefix, error) {
	var out []netip.Prefix
	err := scanLines(name, r, func(line int, s string) error {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil || a.Zone() != "" {
				return lineError(name, line, "prefix", errors.New("not a CIDR prefix"))
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// torList is a parsed Tor exit list.
type torList struct {
	set       *ipdb.Set
	addresses int
	newest    string // latest ExitAddress time seen, "" for plain lists
}

// parseTorExits reads the Tor Project's exit-addresses document
// ("ExitNode <fingerprint>", "Published ...", "LastStatus ...",
// "ExitAddress <ip> <date> <time>" records) or a plain list of one address
// a line (the bulk exit list). Only addresses are kept: an exit list
// changes hourly, so the caller reloads it rather than trusting dates.
func parseTorExits(name string, r io.Reader) (torList, error) {
	var addrs []netip.Prefix
	var newest string
	err := scanLines(name, r, func(line int, s string) error {
		f := strings.Fields(s)
		switch f[0] {
		case "ExitNode", "Published", "LastStatus":
			return nil
		case "ExitAddress":
			if len(f) < 2 {
				return lineError(name, line, "ExitAddress", errors.New("no address"))
			}
			a, err := netip.ParseAddr(f[1])
			if err != nil || a.Zone() != "" {
				return lineError(name, line, "ExitAddress", errors.New("not an IP address"))
			}
			if len(f) >= 4 {
				ts := f[2] + " " + f[3]
				if _, err := time.Parse(time.DateTime, ts); err != nil {
					return lineError(name, line, "ExitAddress", errors.New("bad time, want YYYY-MM-DD hh:mm:ss"))
				}
				if ts > newest {
					newest = ts
				}
			}
			addrs = append(addrs, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			return nil
		}
		if len(f) != 1 {
			return lineError(name, line, "", fmt.Errorf("unknown keyword %q", f[0]))
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil || a.Zone() != "" {
			return lineError(name, line, "address", errors.New("not an IP address"))
		}
		addrs = append(addrs, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		return nil
	})
	if err != nil {
		return torList{}, err
	}
	slices.SortFunc(addrs, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	addrs = slices.Compact(addrs)
	return torList{set: ipdb.NewSet(addrs), addresses: len(addrs), newest: newest}, nil
}

// inSorted reports whether s is in the sorted list.
func inSorted(list []string, s string) bool {
	_, ok := slices.BinarySearch(list, s)
	return ok
}
