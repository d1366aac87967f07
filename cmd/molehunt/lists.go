package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"molehunt"
	"molehunt/lists"
)

// lists shows the loaded lists, or refreshes them with `lists update`.
func (m *Main) lists(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "update" {
		return m.listsUpdate(ctx, args[1:])
	}
	fs := m.flagSet("lists")
	data := fs.String("data", "", "data directory")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("lists: unexpected argument %q (did you mean `lists update`?)", rest[0])
	}
	dir, err := m.dataDir(*data)
	if err != nil {
		return err
	}
	start := m.Now()
	reg, _, err := m.openRegistry(ctx, registryOptions{dataDir: dir})
	if err != nil {
		return err
	}
	infos := reg.Lists()
	if *asJSON {
		return writeJSONTo(m.Stdout, map[string]any{"lists": infos, "load_seconds": m.Now().Sub(start).Seconds()})
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LIST\tVERSION\tENTRIES\tHASH\tSOURCE\tLOADED")
	for _, l := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", l.Name, l.Version, l.Entries, l.Hash[:12], l.Source, l.LoadedAt.Format(time.RFC3339))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "loaded and indexed in %s\n", m.Now().Sub(start).Round(time.Millisecond))
	return nil
}

func (m *Main) listsUpdate(ctx context.Context, args []string) error {
	fs := m.flagSet("lists update")
	data := fs.String("data", "", "data directory")
	from := fs.String("from", "", "a mirror URL or a local directory holding the list files (default: the official addresses)")
	maxShrink := fs.Float64("max-shrink", 0.2, "refuse a list that loses more than this share of its entries")
	timeout := fs.Duration("timeout", 2*time.Minute, "time limit for each download")
	asJSON := fs.Bool("json", false, "print JSON")
	verbose := fs.Bool("v", false, "log each step")
	var urls stringList
	fs.Var(&urls, "url", "override an official address: LIST/FILE=URL, e.g. un_sc/consolidated.xml=https://mirror/un.xml (repeatable; also $MOLEHUNT_LIST_URLS, comma-separated)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("lists update: unexpected argument %q", rest[0])
	}
	if *maxShrink > 1 {
		return usagef("lists update: --max-shrink %v is above 1", *maxShrink)
	}
	dir, err := m.dataDir(*data)
	if err != nil {
		return err
	}
	level := slog.LevelError
	if *verbose {
		level = slog.LevelDebug
	}
	if env := m.Getenv("MOLEHUNT_LIST_URLS"); env != "" {
		urls = append(splitComma(env), urls...)
	}
	overrides, err := parseURLOverrides(urls)
	if err != nil {
		return usagef("lists update: %v", err)
	}
	reg, _, err := m.openRegistry(ctx, registryOptions{dataDir: dir, maxShrink: *maxShrink, timeout: *timeout, logger: m.logger(level), urls: overrides})
	if err != nil {
		return err
	}
	report, updErr := reg.Update(ctx, *from)
	if *asJSON {
		if err := writeJSONTo(m.Stdout, report); err != nil {
			return err
		}
	} else {
		printUpdate(m, report)
	}
	if updErr != nil {
		return updErr
	}
	if len(report.Refused()) > 0 {
		return fmt.Errorf("%d list(s) refused; the last good version of each keeps serving", len(report.Refused()))
	}
	return nil
}

func printUpdate(m *Main, report lists.UpdateReport) {
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LIST\tSTATUS\tVERSION\tENTRIES\tDETAIL")
	for _, o := range report.Lists {
		version, entries := "", ""
		switch {
		case o.New != nil:
			version, entries = o.New.Version, fmt.Sprint(o.New.Entries)
		case o.Old != nil:
			version, entries = o.Old.Version, fmt.Sprint(o.Old.Entries)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.Name, o.Status, version, entries, o.Reason)
	}
	tw.Flush()
}

func writeJSONTo(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// parseURLOverrides reads LIST/FILE=URL pairs.
func parseURLOverrides(pairs []string) (map[molehunt.ListName]map[string]string, error) {
	out := make(map[molehunt.ListName]map[string]string)
	for _, p := range pairs {
		key, url, ok := strings.Cut(p, "=")
		list, file, ok2 := strings.Cut(key, "/")
		if !ok || !ok2 || list == "" || file == "" || !(strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")) {
			return nil, fmt.Errorf("--url %q: want LIST/FILE=URL with an http or https URL", p)
		}
		name := molehunt.ListName(list)
		if !knownFile(name, file) {
			return nil, fmt.Errorf("--url %q: %s is not a file of list %s", p, file, list)
		}
		if out[name] == nil {
			out[name] = make(map[string]string)
		}
		out[name][file] = url
	}
	return out, nil
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func knownFile(list molehunt.ListName, file string) bool {
	for _, src := range lists.DefaultSources() {
		if src.Name == list {
			for _, f := range src.Files {
				if f == file {
					return true
				}
			}
		}
	}
	return false
}
