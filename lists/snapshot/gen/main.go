// Command gen builds the bundled list snapshot: it collects the list files
// molehunt reads from a directory tree (by base name, at any depth) into a
// deterministic gzip-compressed tar archive.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// wanted are the files the snapshot carries. The Enhanced XML is left out
// while the consolidated CSV set is present, since the registry prefers the
// CSV set and both hold the same list.
var wanted = map[string]bool{
	"sdn.csv": true, "alt.csv": true, "add.csv": true, "sdn_comments.csv": true,
	"cons_prim.csv": true, "cons_alt.csv": true, "cons_add.csv": true, "cons_comments.csv": true,
	"consolidated.xml": true, "consolidated.csv": true, "consolidated.csv.gz": true,
	"eu_fsf.xml": true, "eu_fsf.csv": true, "uk_sanctions.xml": true, "uk_sanctions.csv": true,
}

func main() {
	src := flag.String("src", "", "directory holding the list files")
	out := flag.String("out", "snapshot.tar.gz", "archive to write")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		log.Fatal(err)
	}
}

func run(src, out string) error {
	paths := map[string]string{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && wanted[d.Name()] {
			if prev, dup := paths[d.Name()]; dup {
				return fmt.Errorf("%s found twice: %s and %s", d.Name(), prev, p)
			}
			paths[d.Name()] = p
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("scan %s: %w", src, err)
	}
	names := make([]string, 0, len(paths))
	for n := range paths {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	epoch := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range names {
		b, err := os.ReadFile(paths[n])
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(b)), ModTime: epoch, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
		fmt.Printf("%-22s %10d bytes\n", n, len(b))
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d bytes\n", out, buf.Len())
	return nil
}
