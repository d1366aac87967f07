// Package osquery reads osquery results logs, as written by osqueryd's
// filesystem logger plugin (osqueryd.results.log: one JSON object per
// line), and turns the rows of the queries molehunt cares about into
// endpoint events.
//
// It follows the osquery documentation "Logging osquery" (docs/wiki/
// deployment/logging.md, osquery 5.x): the differential "event format"
// ({"name", "hostIdentifier", "calendarTime", "unixTime", "epoch",
// "counter", "numerics", "decorations", "columns", "action"}), the
// "snapshot format" ({"snapshot": [rows], "action": "snapshot"}) and the
// "batch format" ({"diffResults": {"added": [rows], "removed": [rows]}}),
// plus the older "hostname" key in place of "hostIdentifier" and
// decorations written at the top level (--decorations_top_level), which the
// configuration docs show overwriting reserved keys.
//
// Rows are mapped by table, recognised from the query name when it names a
// known table and else from the columns: usb_devices, processes (and
// process_events, process_snapshot), programs/apps/deb_packages/
// rpm_packages, keyboard layout and locale (columns "keyboard_layout",
// "layout", "locale", macOS preferences rows, Windows registry rows), time
// zone (time.local_timezone, Windows TimeZoneInformation) and system_info.
// Rows of other tables are skipped.
package osquery

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
)

// MaxLineLen bounds one results-log line. A longer line becomes a reject
// and is skipped, so one runaway snapshot cannot exhaust memory.
const MaxLineLen = 8 << 20

// maxHosts bounds the per-stream memory of device ids learned from
// system_info rows.
const maxHosts = 100_000

// Config holds the policy settings that change what the parser emits.
type Config struct {
	// KeyboardAndLocale turns on the keyboard-layout and locale events.
	// DESIGN.md: a keyboard layout or locale is collected only when a
	// policy setting turns it on, so they are dropped by default.
	KeyboardAndLocale bool
}

// Parser reads osquery results logs. It is safe for sequential use only.
type Parser struct {
	cfg Config
}

var _ ingest.Parser = (*Parser)(nil)

// New returns a Parser with the given policy.
func New(cfg Config) *Parser { return &Parser{cfg: cfg} }

// Source returns molehunt.SourceOsquery.
func (p *Parser) Source() molehunt.Source { return molehunt.SourceOsquery }

// devices are the canonical device ids known for a host.
type devices struct{ serial, uuid string }

// run is the state of one Parse call.
type run struct {
	p    *Parser
	opts ingest.Options
	emit func(ingest.Record) error
	// hosts remembers the serial and hardware UUID that system_info rows
	// gave for each hostIdentifier, so later rows of that host carry them
	// as Actor identifiers.
	hosts map[string]devices
}

// Parse reads a results log from r and emits one endpoint event per row of
// a recognised table; a line that is not a results object, or a row that
// does not make a valid event, becomes a reject.
func (p *Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	if opts.Canon == nil {
		opts.Canon = &ident.Canonicalizer{Digester: opts.Digest, DefaultRegion: opts.DefaultRegion}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st := &run{p: p, opts: opts, emit: emit, hosts: make(map[string]devices)}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := readLine(br, MaxLineLen)
		if len(line) > 0 || tooLong {
			rec := fmt.Sprintf("line %d", n)
			if tooLong {
				if e := st.reject(rec, "", fmt.Errorf("line longer than %d bytes", MaxLineLen)); e != nil {
					return e
				}
			} else if e := st.line(rec, line); e != nil {
				return e
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &molehunt.RecordError{File: opts.File, Record: fmt.Sprintf("line %d", n), Err: err}
		}
	}
}

// readLine returns the next line without its end, trimmed of white space.
// A line longer than max is consumed and reported with tooLong.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > max {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSpace(buf), tooLong, err
	}
}

func (st *run) reject(record, field string, err error) error {
	rj := molehunt.RejectOf(molehunt.SourceOsquery, st.opts.File,
		&molehunt.RecordError{File: st.opts.File, Record: record, Field: field, Err: err})
	return st.emit(ingest.Record{Reject: &rj})
}

// reservedKeys are the top-level keys osquery itself writes; any other
// top-level string is a decoration written with --decorations_top_level.
var reservedKeys = map[string]bool{
	"name": true, "hostIdentifier": true, "hostname": true, "calendarTime": true, "unixTime": true,
	"epoch": true, "counter": true, "numerics": true, "decorations": true, "columns": true,
	"action": true, "snapshot": true, "diffResults": true, "log_type": true,
}

// envelope is one results line minus its rows.
type envelope struct {
	top         map[string]json.RawMessage
	name        string
	hostID      string
	action      string
	epoch       string
	counter     string
	unixTime    string
	time        time.Time
	decorations map[string]string
}

func (st *run) line(rec string, line []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(line, &top); err != nil {
		return st.reject(rec, "", fmt.Errorf("not a JSON object: %v", err))
	}
	env := envelope{top: top, decorations: map[string]string{}}
	env.name = scalar(top["name"])
	env.hostID = scalar(top["hostIdentifier"])
	if env.hostID == "" {
		env.hostID = scalar(top["hostname"]) // osquery before 2.x
	}
	env.action = scalar(top["action"])
	env.epoch, env.counter, env.unixTime = scalar(top["epoch"]), scalar(top["counter"]), scalar(top["unixTime"])
	if raw, ok := top["decorations"]; ok && !isNull(raw) {
		var dec map[string]json.RawMessage
		if err := json.Unmarshal(raw, &dec); err != nil {
			return st.reject(rec, "decorations", errors.New("not an object"))
		}
		for k, v := range dec {
			env.decorations[strings.ToLower(k)] = scalar(v)
		}
	}
	for k, v := range top {
		if !reservedKeys[k] {
			if s := scalar(v); s != "" {
				if _, ok := env.decorations[strings.ToLower(k)]; !ok {
					env.decorations[strings.ToLower(k)] = s
				}
			}
		}
	}
	env.time = st.lineTime(env.unixTime, scalar(top["calendarTime"]))

	type row struct {
		field, action string
		raw           json.RawMessage
	}
	var rows []row
	switch {
	case has(top, "columns"):
		switch env.action {
		case "added", "removed":
		case "":
			env.action = "added"
		default:
			return st.reject(rec, "action", fmt.Errorf("want added or removed with columns, got %q", env.action))
		}
		rows = append(rows, row{"columns", env.action, top["columns"]})
	case has(top, "snapshot"):
		var snap []json.RawMessage
		if err := json.Unmarshal(top["snapshot"], &snap); err != nil {
			return st.reject(rec, "snapshot", errors.New("not an array of rows"))
		}
		for i, r := range snap {
			rows = append(rows, row{fmt.Sprintf("snapshot[%d]", i), "snapshot", r})
		}
	case has(top, "diffResults"):
		var diff struct {
			Added   []json.RawMessage `json:"added"`
			Removed []json.RawMessage `json:"removed"`
		}
		if err := json.Unmarshal(top["diffResults"], &diff); err != nil {
			return st.reject(rec, "diffResults", errors.New("want {added: [rows], removed: [rows]}"))
		}
		for i, r := range diff.Added {
			rows = append(rows, row{fmt.Sprintf("diffResults.added[%d]", i), "added", r})
		}
		for i, r := range diff.Removed {
			rows = append(rows, row{fmt.Sprintf("diffResults.removed[%d]", i), "removed", r})
		}
	default:
		return st.reject(rec, "columns", errors.New("no columns, snapshot or diffResults"))
	}
	for _, r := range rows {
		var cols map[string]json.RawMessage
		if err := json.Unmarshal(r.raw, &cols); err != nil {
			if e := st.reject(rec, r.field, errors.New("row is not an object")); e != nil {
				return e
			}
			continue
		}
		if err := st.row(rec, r.field, r.action, &env, cols); err != nil {
			return err
		}
	}
	return nil
}

// lineTime reads unixTime (a string or a number), else calendarTime, else
// the clock: the decorator-collision example of osquery's docs shows both
// overwritten by a decoration, and such a line has no time of its own.
func (st *run) lineTime(unix, calendar string) time.Time {
	if n, err := strconv.ParseInt(unix, 10, 64); err == nil && n > 0 && n < 1<<40 {
		return time.Unix(n, 0).UTC()
	}
	for _, layout := range []string{"Mon Jan _2 15:04:05 2006 MST", "Mon Jan _2 15:04:05 2006"} {
		if t, err := time.Parse(layout, strings.Join(strings.Fields(calendar), " ")); err == nil {
			return t.UTC()
		}
		if t, err := time.Parse(layout, calendar); err == nil {
			return t.UTC()
		}
	}
	return st.opts.Now().UTC()
}

// row maps one row of columns into an event, if its table is recognised.
func (st *run) row(rec, field, action string, env *envelope, cols map[string]json.RawMessage) error {
	c := make(map[string]string, len(cols))
	for k, v := range cols {
		c[strings.ToLower(k)] = scalar(v)
	}
	d := classify(env.name, c)
	if d == nil {
		return nil // a table molehunt does not read
	}
	if (d.Category == molehunt.EndpointKeyboard || d.Category == molehunt.EndpointLocale) && !st.p.cfg.KeyboardAndLocale {
		return nil
	}
	if action != "snapshot" {
		d.Action = action
	}
	d.Host = first(env.decorations["hostname"], env.decorations["host_name"], scalar(env.top["hostname"]))
	if d.Category == molehunt.EndpointSystemInfo {
		d.Host = first(d.Host, c["hostname"], c["computer_name"])
	}
	d.Host = first(d.Host, env.hostID)

	// Device ids: the row itself (system_info), else decorations, else
	// what an earlier system_info row of the host said.
	known := st.hosts[env.hostID]
	serial, uuid := "", ""
	if d.Category == molehunt.EndpointSystemInfo {
		serial, uuid = canonSerial(c["hardware_serial"]), canonUUID(c["uuid"])
	}
	serial = first(serial, canonSerial(first(env.decorations["serial"], env.decorations["hardware_serial"],
		env.decorations["serial_number"], env.decorations["device_serial"])), known.serial)
	uuid = first(uuid, canonUUID(first(env.decorations["uuid"], env.decorations["hardware_uuid"],
		env.decorations["host_uuid"], env.decorations["system_uuid"])), known.uuid)
	if d.Category == molehunt.EndpointSystemInfo && env.hostID != "" && (serial != "" || uuid != "") {
		if _, ok := st.hosts[env.hostID]; ok || len(st.hosts) < maxHosts {
			st.hosts[env.hostID] = devices{serial: serial, uuid: uuid}
		}
	}
	d.DeviceSerial, d.HardwareUUID = serial, uuid

	var actor []molehunt.Identifier
	if serial != "" {
		actor = append(actor, molehunt.Identifier{Kind: molehunt.IDDeviceSerial, Value: serial})
	}
	if uuid != "" {
		actor = append(actor, molehunt.Identifier{Kind: molehunt.IDHardwareUUID, Value: uuid})
	}
	if u := first(env.decorations["username"], env.decorations["user"], env.decorations["login"],
		env.decorations["console_user"], env.decorations["logged_in_user"]); u != "" {
		if id, err := st.opts.Canon.Identifier(molehunt.IDLogin, u); err == nil {
			actor = append(actor, id)
		}
	}

	raw, err := rawRow(env.top, cols, action)
	if err != nil {
		return st.reject(rec, field, err)
	}
	ev := &molehunt.Event{
		Kind:          molehunt.EventEndpoint,
		Source:        molehunt.SourceOsquery,
		SourceEventID: sourceEventID(env, action, cols),
		Time:          env.time,
		Actor:         actor,
		Endpoint:      d,
		Raw:           raw,
	}
	if err := ev.Validate(); err != nil {
		return st.reject(rec, field, err)
	}
	return st.emit(ingest.Record{Event: ev})
}

// rawRow is the record as received for one row: the line's envelope with
// this row as "columns" (a snapshot or batch row is stored alone, not with
// its siblings, and "action" says which part of the line it came from).
func rawRow(top map[string]json.RawMessage, cols map[string]json.RawMessage, action string) (json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(top))
	for k, v := range top {
		if k != "snapshot" && k != "diffResults" && k != "columns" {
			out[k] = v
		}
	}
	colRaw, err := json.Marshal(cols)
	if err != nil {
		return nil, err
	}
	out["columns"] = colRaw
	a, _ := json.Marshal(action)
	out["action"] = a
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	if len(b) > molehunt.MaxRawLen {
		return nil, fmt.Errorf("row of %d bytes, more than %d", len(b), molehunt.MaxRawLen)
	}
	return b, nil
}

// sourceEventID is osquery's idempotency key for a row, which osquery does
// not give: hostIdentifier | query name | epoch | counter | action |
// 16 hex digits of SHA-256 over the row's columns (sorted "key=value"
// pairs, values as text so that numerics true and false agree). epoch and
// counter identify one run of a query on a host; when a line has neither
// (evented tables logged by some versions), unixTime takes their place.
// A part longer than 64 bytes or holding control characters is replaced
// by "#" and 16 hex digits of its SHA-256, so the key stays a valid id.
func sourceEventID(env *envelope, action string, cols map[string]json.RawMessage) string {
	run := safePart(env.epoch) + "|" + safePart(env.counter)
	if env.epoch == "" && env.counter == "" {
		run = "t" + safePart(env.unixTime)
	}
	return strings.Join([]string{safePart(env.hostID), safePart(env.name), run, action, rowHash(cols)}, "|")
}

func rowHash(cols map[string]json.RawMessage) string {
	keys := make([]string, 0, len(cols))
	for k := range cols {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(scalar(cols[k])))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func safePart(s string) string {
	ok := len(s) <= 64 && strings.TrimSpace(s) == s
	for _, r := range s {
		if unicode.IsControl(r) || r == '|' || r == 0xfffd {
			ok = false
		}
	}
	if ok {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "#" + hex.EncodeToString(sum[:8])
}

// scalar returns a JSON string's value, a number's or boolean's text, and
// "" for null, objects and arrays.
func scalar(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	case '{', '[', 'n':
		return ""
	}
	return string(raw)
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func has(m map[string]json.RawMessage, k string) bool {
	v, ok := m[k]
	return ok && !isNull(v)
}

func first(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func canonSerial(s string) string {
	if s == "" {
		return ""
	}
	v, err := ident.DeviceSerial(s)
	if err != nil {
		return ""
	}
	return v
}

func canonUUID(s string) string {
	if s == "" {
		return ""
	}
	v, err := ident.HardwareUUID(s)
	if err != nil {
		return ""
	}
	return v
}

// baseName returns the last element of a Unix or Windows path.
func baseName(p string) string {
	if i := strings.LastIndexByte(p, '\\'); i >= 0 {
		return p[i+1:]
	}
	if p == "" {
		return ""
	}
	return path.Base(p)
}
