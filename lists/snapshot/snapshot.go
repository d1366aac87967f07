// Package snapshot carries the sanctions lists bundled with molehunt, so
// `serve` and `screen` work offline on a fresh machine. The lists are the
// official files, unmodified, in one gzip-compressed tar archive; `go
// generate` rebuilds it from a directory of newer copies (see SOURCES.md).
package snapshot

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"path"
)

//go:generate go run ./gen -src ../../../shared/data/sanctions -out snapshot.tar.gz

//go:embed snapshot.tar.gz
var archive []byte

// Files returns the bundled list files by base name.
func Files() (map[string][]byte, error) {
	return Read(bytes.NewReader(archive))
}

// Size is the compressed size of the bundled archive in bytes.
func Size() int { return len(archive) }

// Read reads a snapshot archive (tar, gzip-compressed) into a map of base
// name to contents.
func Read(r io.Reader) (map[string][]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	files := make(map[string][]byte)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read snapshot: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("read snapshot %s: %w", h.Name, err)
		}
		files[path.Base(h.Name)] = b
	}
}
