package lists

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"molehunt"
)

// Load serves the best version of each list that needs no network: the last
// good version kept in DataDir when there is one, else the bundled snapshot
// (files by base name). It fails only when no required list can be loaded
// at all.
func (r *Registry) Load(ctx context.Context, snapshot map[string][]byte) (UpdateReport, error) {
	r.updating.Lock()
	defer r.updating.Unlock()
	start := r.cfg.Now()
	inputs := make(map[molehunt.ListName]fileSet)
	var report UpdateReport
	for _, src := range r.cfg.Sources {
		if in, ok, err := r.readStored(src); err != nil {
			r.cfg.Logger.Warn("stored list unusable; falling back to the snapshot", "list", src.Name, "err", err)
		} else if ok {
			inputs[src.Name] = in
			continue
		}
		files := pick(src, snapshot)
		if len(files) > 0 {
			inputs[src.Name] = fileSet{files: files, origin: "snapshot"}
		}
	}
	outcomes, fresh := r.parseAll(ctx, inputs, nil)
	// A stored copy that no longer parses (a parser grew stricter, say)
	// gives way to the snapshot rather than leaving the list out.
	retry := make(map[molehunt.ListName]fileSet)
	for _, src := range r.cfg.Sources {
		if in, ok := inputs[src.Name]; ok && in.origin != "snapshot" {
			if _, good := fresh[src.Name]; !good {
				if files := pick(src, snapshot); len(files) > 0 {
					retry[src.Name] = fileSet{files: files, origin: "snapshot"}
				}
			}
		}
	}
	if len(retry) > 0 {
		again, more := r.parseAll(ctx, retry, nil)
		for name, p := range more {
			fresh[name] = p
		}
		for _, o := range again {
			for i := range outcomes {
				if outcomes[i].Name == o.Name {
					outcomes[i] = o
				}
			}
		}
	}
	report.Lists = outcomes
	if len(fresh) == 0 {
		return report, molehunt.Errorf(molehunt.EUnavailable, "load lists", "no sanctions list could be loaded")
	}
	if err := r.swap(fresh, nil); err != nil {
		return report, err
	}
	report.Swapped = true
	report.Elapsed = r.cfg.Now().Sub(start)
	return report, nil
}

// Update refreshes the lists from `from`: "" for the official addresses (or
// the configured overrides), an http(s) URL for a mirror holding the files
// under their base names, or a local directory searched recursively by base
// name (".gz" copies are decompressed). Each list is refused on its own when
// it cannot be fetched, fails to parse or shrinks by more than MaxShrink;
// the others go ahead. The new generation is built aside, kept in DataDir,
// and only then swapped in. The error is non-nil when nothing could be
// refreshed and something was refused.
func (r *Registry) Update(ctx context.Context, from string) (UpdateReport, error) {
	r.updating.Lock()
	defer r.updating.Unlock()
	start := r.cfg.Now()
	var (
		inputs   map[molehunt.ListName]fileSet
		outcomes []ListOutcome
	)
	switch {
	case from == "" || strings.HasPrefix(from, "http://") || strings.HasPrefix(from, "https://"):
		inputs, outcomes = r.fetchAll(ctx, from)
	default:
		var err error
		inputs, outcomes, err = r.readDir(from)
		if err != nil {
			return UpdateReport{}, err
		}
	}
	cur := r.current.Load()
	parsedOutcomes, fresh := r.parseAll(ctx, inputs, cur)
	outcomes = append(outcomes, parsedOutcomes...)
	report := UpdateReport{Lists: outcomes}
	defer func() {
		sort.Slice(report.Lists, func(i, j int) bool { return report.Lists[i].Name < report.Lists[j].Name })
		report.Elapsed = r.cfg.Now().Sub(start)
	}()
	if len(fresh) > 0 {
		if err := r.persist(fresh); err != nil {
			markRefused(&report, fresh, "could not keep the new version: "+err.Error())
			return report, fmt.Errorf("update lists: %w", err)
		}
		if err := r.swap(fresh, cur); err != nil {
			markRefused(&report, fresh, err.Error())
			return report, err
		}
		report.Swapped = true
		return report, nil
	}
	if len(report.Refused()) > 0 {
		return report, molehunt.Errorf(molehunt.EUnavailable, "update lists", "no list was refreshed: %s", report.Refused()[0].Reason)
	}
	return report, nil
}

func markRefused(report *UpdateReport, fresh map[molehunt.ListName]parsed, reason string) {
	for i, o := range report.Lists {
		if _, ok := fresh[o.Name]; ok {
			report.Lists[i].Status = StatusRefused
			report.Lists[i].Reason = reason
			report.Lists[i].New = nil
		}
	}
}

// parseAll parses every input concurrently and checks it against the
// generation being served. It returns an outcome per input and the lists
// that may be served.
func (r *Registry) parseAll(ctx context.Context, inputs map[molehunt.ListName]fileSet, cur *Served) ([]ListOutcome, map[molehunt.ListName]parsed) {
	type result struct {
		src Source
		p   parsed
		err error
	}
	results := make(chan result, len(inputs))
	var wg sync.WaitGroup
	for _, src := range r.cfg.Sources {
		in, ok := inputs[src.Name]
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ctx.Err(); err != nil {
				results <- result{src: src, err: err}
				return
			}
			p, err := r.parse(src, in)
			results <- result{src: src, p: p, err: err}
		}()
	}
	wg.Wait()
	close(results)
	var outcomes []ListOutcome
	fresh := make(map[molehunt.ListName]parsed)
	for res := range results {
		o := ListOutcome{Name: res.src.Name}
		var old *molehunt.ListInfo
		if cur != nil {
			for i := range cur.Lists {
				if cur.Lists[i].Name == res.src.Name {
					info := cur.Lists[i]
					old = &info
				}
			}
		}
		o.Old = old
		switch {
		case res.err != nil:
			o.Status, o.Reason = StatusRefused, res.err.Error()
		case old != nil && old.Hash == res.p.info.Hash:
			o.Status = StatusUnchanged
		case old != nil && r.cfg.MaxShrink >= 0 && float64(res.p.info.Entries) < float64(old.Entries)*(1-r.cfg.MaxShrink):
			o.Status = StatusRefused
			o.Reason = fmt.Sprintf("%s shrank from %d to %d entries, more than the allowed %.0f%%; kept version %s",
				res.src.Name, old.Entries, res.p.info.Entries, r.cfg.MaxShrink*100, old.Version)
		default:
			o.Status = StatusUpdated
			info := res.p.info
			o.New = &info
			fresh[res.src.Name] = res.p
		}
		if o.Status == StatusRefused {
			r.cfg.Logger.Warn("list refused", "list", res.src.Name, "reason", o.Reason)
		}
		outcomes = append(outcomes, o)
	}
	sort.Slice(outcomes, func(i, j int) bool { return outcomes[i].Name < outcomes[j].Name })
	return outcomes, fresh
}

// swap builds a generation from cur with the fresh lists replacing theirs,
// and serves it. On a build failure nothing changes.
func (r *Registry) swap(fresh map[molehunt.ListName]parsed, cur *Served) error {
	next := &Served{Entries: make(map[molehunt.ListName][]molehunt.ListEntry)}
	infos := make(map[molehunt.ListName]molehunt.ListInfo)
	if cur != nil {
		for _, info := range cur.Lists {
			infos[info.Name] = info
			next.Entries[info.Name] = cur.Entries[info.Name]
		}
	}
	for name, p := range fresh {
		infos[name] = p.info
		next.Entries[name] = p.entries
	}
	var set molehunt.ListSet
	for _, src := range r.cfg.Sources {
		info, ok := infos[src.Name]
		if !ok {
			continue
		}
		next.Lists = append(next.Lists, info)
		set.Lists = append(set.Lists, info)
		set.Entries = append(set.Entries, next.Entries[src.Name]...)
	}
	scr, err := r.cfg.Build(set)
	if err != nil {
		return fmt.Errorf("build screening index: %w", err)
	}
	next.Screener = scr
	r.current.Store(next)
	return nil
}

// pick takes a source's files out of a name → content map, decompressing a
// ".gz" copy when the plain one is absent.
func pick(src Source, all map[string][]byte) map[string][]byte {
	files := make(map[string][]byte)
	for _, name := range src.Files {
		if b, ok := all[name]; ok {
			files[name] = b
			continue
		}
		if b, ok := all[name+".gz"]; ok {
			if plain, err := gunzip(b); err == nil {
				files[name] = plain
			}
		}
	}
	return files
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// readDir finds each source's files in dir by base name, at any depth.
func (r *Registry) readDir(dir string) (map[molehunt.ListName]fileSet, []ListOutcome, error) {
	paths := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			if _, dup := paths[d.Name()]; !dup {
				paths[d.Name()] = p
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, molehunt.Errorf(molehunt.EInvalid, "update lists", "read %s: %v", dir, err)
	}
	inputs := make(map[molehunt.ListName]fileSet)
	var outcomes []ListOutcome
	for _, src := range r.cfg.Sources {
		all := make(map[string][]byte)
		var readErr error
		for _, name := range src.Files {
			for _, n := range []string{name, name + ".gz"} {
				if p, ok := paths[n]; ok {
					b, err := os.ReadFile(p)
					if err != nil {
						readErr = fmt.Errorf("read %s: %w", p, err)
					}
					all[n] = b
				}
			}
		}
		switch files := pick(src, all); {
		case readErr != nil:
			outcomes = append(outcomes, ListOutcome{Name: src.Name, Status: StatusRefused, Reason: readErr.Error()})
		case len(files) == 0:
			outcomes = append(outcomes, ListOutcome{Name: src.Name, Status: StatusMissing})
		default:
			inputs[src.Name] = fileSet{files: files, origin: dir}
		}
	}
	return inputs, outcomes, nil
}

// fetchAll downloads each source's files, from base (a mirror) or from the
// official or configured URLs.
func (r *Registry) fetchAll(ctx context.Context, base string) (map[molehunt.ListName]fileSet, []ListOutcome) {
	inputs := make(map[molehunt.ListName]fileSet)
	var outcomes []ListOutcome
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, src := range r.cfg.Sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			files, origin, err := r.fetchSource(ctx, src, base)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				outcomes = append(outcomes, ListOutcome{Name: src.Name, Status: StatusRefused, Reason: err.Error()})
			case len(files) == 0:
				outcomes = append(outcomes, ListOutcome{Name: src.Name, Status: StatusMissing})
			default:
				inputs[src.Name] = fileSet{files: files, origin: origin}
			}
		}()
	}
	wg.Wait()
	return inputs, outcomes
}

// errNotPublished marks a file the server does not have (404): the source
// may do without it.
var errNotPublished = errors.New("not published")

func (r *Registry) fetchSource(ctx context.Context, src Source, base string) (map[string][]byte, string, error) {
	files := make(map[string][]byte)
	origin := base
	for _, name := range src.Files {
		url := ""
		if base != "" {
			url = strings.TrimSuffix(base, "/") + "/" + name
		} else {
			url = src.URLs[name]
			if o, ok := r.cfg.URLs[src.Name][name]; ok {
				url = o
			}
			origin = "official"
		}
		if url == "" {
			continue
		}
		b, err := r.fetch(ctx, url)
		if errors.Is(err, errNotPublished) {
			continue
		}
		if err != nil {
			return nil, origin, err
		}
		files[name] = b
	}
	if base != "" && len(files) == 0 {
		// A mirror may keep gzip copies, as the CSL is often stored.
		for _, name := range src.Files {
			b, err := r.fetch(ctx, strings.TrimSuffix(base, "/")+"/"+name+".gz")
			if err == nil {
				if plain, gzErr := gunzip(b); gzErr == nil {
					files[name] = plain
				} else {
					return nil, origin, fmt.Errorf("fetch %s.gz: %w", name, gzErr)
				}
			} else if !errors.Is(err, errNotPublished) {
				return nil, origin, err
			}
		}
	}
	return files, origin, nil
}

// fetch downloads one file, bounded in time and size. A body shorter than
// its Content-Length is an error (a truncated transfer), as is any status
// other than 200 except 404, which means the file is not published there.
func (r *Registry) fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	req.Header.Set("User-Agent", "molehunt-lists/1")
	resp, err := r.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("fetch %s: %w", url, errNotPublished)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: HTTP %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, r.cfg.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: after %d bytes: %w", url, len(b), err)
	}
	if int64(len(b)) > r.cfg.MaxFileBytes {
		return nil, fmt.Errorf("fetch %s: larger than the %d-byte limit", url, r.cfg.MaxFileBytes)
	}
	if resp.ContentLength >= 0 && int64(len(b)) != resp.ContentLength {
		return nil, fmt.Errorf("fetch %s: truncated: got %d of %d bytes", url, len(b), resp.ContentLength)
	}
	return b, nil
}

// stored is what DataDir/lists/<name>/current.json records.
type stored struct {
	Info molehunt.ListInfo `json:"info"`
	Dir  string            `json:"dir"`
}

func (r *Registry) listDir(name molehunt.ListName) string {
	return filepath.Join(r.cfg.DataDir, "lists", string(name))
}

// readStored reads a list's last good version from DataDir and checks its
// hash, so a damaged copy is never served.
func (r *Registry) readStored(src Source) (fileSet, bool, error) {
	if r.cfg.DataDir == "" {
		return fileSet{}, false, nil
	}
	b, err := os.ReadFile(filepath.Join(r.listDir(src.Name), "current.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return fileSet{}, false, nil
	}
	if err != nil {
		return fileSet{}, false, err
	}
	var st stored
	if err := json.Unmarshal(b, &st); err != nil {
		return fileSet{}, false, fmt.Errorf("read %s current.json: %w", src.Name, err)
	}
	dir := filepath.Join(r.listDir(src.Name), filepath.Base(st.Dir))
	files := make(map[string][]byte)
	for _, name := range src.Files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fileSet{}, false, err
		}
		files[name] = b
	}
	if got := ContentHash(files); got != st.Info.Hash {
		return fileSet{}, false, fmt.Errorf("stored %s: hash %s does not match the recorded %s", src.Name, got[:12], st.Info.Hash[:min(12, len(st.Info.Hash))])
	}
	origin := st.Info.Source
	if origin == "" {
		origin = dir
	}
	return fileSet{files: files, origin: origin}, true, nil
}

// persist keeps each fresh list in DataDir: files into a new directory named
// by hash, then current.json replaced by rename, so a crash leaves either
// the old or the new version, never a mix.
func (r *Registry) persist(fresh map[molehunt.ListName]parsed) error {
	if r.cfg.DataDir == "" {
		return nil
	}
	for name, p := range fresh {
		base := r.listDir(name)
		dirName := p.info.Hash[:16]
		dir := filepath.Join(base, dirName)
		tmp, err := os.MkdirTemp(base+"", ".new-")
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(base, 0o750); err != nil {
				return fmt.Errorf("keep %s: %w", name, err)
			}
			tmp, err = os.MkdirTemp(base, ".new-")
		}
		if err != nil {
			return fmt.Errorf("keep %s: %w", name, err)
		}
		for fname, b := range p.files {
			if err := os.WriteFile(filepath.Join(tmp, fname), b, 0o640); err != nil {
				os.RemoveAll(tmp)
				return fmt.Errorf("keep %s: %w", name, err)
			}
		}
		os.RemoveAll(dir)
		if err := os.Rename(tmp, dir); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("keep %s: %w", name, err)
		}
		st, _ := json.MarshalIndent(stored{Info: p.info, Dir: dirName}, "", "  ")
		if err := writeFileAtomic(filepath.Join(base, "current.json"), st); err != nil {
			return fmt.Errorf("keep %s: %w", name, err)
		}
		r.prune(base, dirName)
	}
	return nil
}

// prune removes versions other than keep, leaving the newest previous one
// for inspection.
func (r *Registry) prune(base, keep string) {
	ents, err := os.ReadDir(base)
	if err != nil {
		return
	}
	type ver struct {
		name string
		mod  time.Time
	}
	var old []ver
	for _, e := range ents {
		if !e.IsDir() || e.Name() == keep || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if fi, err := e.Info(); err == nil {
			old = append(old, ver{e.Name(), fi.ModTime()})
		}
	}
	sort.Slice(old, func(i, j int) bool { return old[i].mod.After(old[j].mod) })
	for i, v := range old {
		if i >= 1 {
			os.RemoveAll(filepath.Join(base, v.name))
		}
	}
}

func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

// ReloadStored serves any list whose last good version in DataDir differs
// from the one being served, as happens when `molehunt lists update` ran in
// another process. Lists without a stored version are left alone.
func (r *Registry) ReloadStored(ctx context.Context) (UpdateReport, error) {
	r.updating.Lock()
	defer r.updating.Unlock()
	cur := r.current.Load()
	inputs := make(map[molehunt.ListName]fileSet)
	for _, src := range r.cfg.Sources {
		st, ok := r.storedInfo(src.Name)
		if !ok {
			continue
		}
		if cur != nil {
			same := false
			for _, info := range cur.Lists {
				if info.Name == src.Name && info.Hash == st.Info.Hash {
					same = true
				}
			}
			if same {
				continue
			}
		}
		in, ok, err := r.readStored(src)
		if err != nil || !ok {
			continue
		}
		inputs[src.Name] = in
	}
	var report UpdateReport
	if len(inputs) == 0 {
		return report, nil
	}
	outcomes, fresh := r.parseAll(ctx, inputs, cur)
	report.Lists = outcomes
	if len(fresh) > 0 {
		if err := r.swap(fresh, cur); err != nil {
			return report, err
		}
		report.Swapped = true
	}
	return report, nil
}

func (r *Registry) storedInfo(name molehunt.ListName) (stored, bool) {
	if r.cfg.DataDir == "" {
		return stored{}, false
	}
	b, err := os.ReadFile(filepath.Join(r.listDir(name), "current.json"))
	if err != nil {
		return stored{}, false
	}
	var st stored
	if json.Unmarshal(b, &st) != nil {
		return stored{}, false
	}
	return st, true
}
