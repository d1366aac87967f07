// Package shipping reads equipment shipping records as CSV, as IT asset
// management and HR systems export them (ServiceNow ITAM, Snipe-IT,
// Workday and carrier manifest exports: one row per device sent to a
// worker), and turns each row into a shipment event.
//
// The format is header-driven: the first row names the columns, matched
// after folding case, spaces, dashes and camelCase against the aliases in
// aliases (asset_tag, serial, model, employee_id, email, username,
// ship_date, delivered_date, carrier, tracking_number, address lines, city,
// state/region, postal code, country, recipient name, status, ...). Other
// columns are kept in Raw and ignored.
//
// Mapping: ShipmentDetail.Address holds the ship-to address with each part
// normalised by ident.Address (USPS Publication 28 abbreviations, state and
// country codes, ZIP+4 cut), so that ident.Address of it gives the same Full
// and Residence keys as the raw address: detectors compare it with the
// worker's home address and count workers per address. Serial is the
// canonical device serial (ident.DeviceSerial); Carrier is as written;
// Tracking is upper-cased without spaces. Time is the ship date (else the
// delivery date). Actor: the worker's e-mail and login and the device
// serial; the employee id and the recipient name are kept in Raw (the
// recipient differing from the worker is evidence a detector reads there).
//
// SourceEventID: "id:<id>" from an explicit shipment id column; else
// "<carrier>:<tracking>", with "/<asset tag or serial>" appended when the
// row names the device, because one box (one tracking number) often holds
// a laptop and its monitor; else "asset:<tag>:<date>" or
// "serial:<serial>:<date>"; else "row:<hash>" of the normalised row.
package shipping

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/csvtable"
)

// Config holds the settings that change how values are read.
type Config struct {
	// DayFirst reads slashed dates as day/month/year; the default is
	// month/day/year.
	DayFirst bool
}

// Parser reads equipment shipping CSV exports.
type Parser struct{ cfg Config }

var _ ingest.Parser = (*Parser)(nil)

// New returns a shipping CSV parser.
func New(cfg Config) *Parser { return &Parser{cfg: cfg} }

// Source returns molehunt.SourceShipping.
func (*Parser) Source() molehunt.Source { return molehunt.SourceShipping }

var aliases = map[string][]string{
	"id":             {"id", "shipment_id", "record_id", "event_id", "shipment_number", "request_id"},
	"asset_tag":      {"asset_tag", "asset", "asset_id", "asset_number", "tag", "asset_tag_number"},
	"serial":         {"serial", "serial_number", "device_serial", "sn", "serial_no", "serialnumber"},
	"model":          {"model", "device_model", "hardware_model", "product", "item", "model_name"},
	"employee_id":    {"employee_id", "employee_number", "emp_id", "worker_id", "associate_id", "person_id"},
	"email":          {"email", "employee_email", "worker_email", "work_email", "user_email", "assignee_email", "email_address"},
	"login":          {"username", "user_name", "login", "user_principal_name", "upn", "user_id"},
	"name":           {"employee_name", "worker_name", "assignee", "assigned_to", "user", "employee"},
	"recipient":      {"recipient_name", "recipient", "ship_to_name", "attention", "attn", "deliver_to", "contact_name", "name"},
	"ship_date":      {"ship_date", "shipped_at", "shipped_on", "shipping_date", "date_shipped", "dispatch_date", "shipped", "date"},
	"delivered_date": {"delivered_date", "delivered_at", "delivery_date", "delivered_on", "date_delivered"},
	"carrier":        {"carrier", "shipping_carrier", "courier", "carrier_name", "shipper"},
	"tracking":       {"tracking_number", "tracking", "tracking_no", "tracking_id", "awb", "waybill", "tracking_code"},
	"address1":       {"address", "address1", "address_1", "address_line_1", "address_line1", "street", "street_address", "ship_to_address", "shipping_address", "ship_to_street", "line1"},
	"address2":       {"address2", "address_2", "address_line_2", "address_line2", "street2", "apt", "suite", "unit", "line2"},
	"address3":       {"address3", "address_3", "address_line_3", "address_line3", "line3"},
	"city":           {"city", "town", "ship_to_city", "locality"},
	"region":         {"state", "region", "province", "state_province", "state_region", "ship_to_state", "county"},
	"postal":         {"postal_code", "zip", "zip_code", "postcode", "postal", "ship_to_zip", "ship_to_postal_code"},
	"country":        {"country", "country_code", "ship_to_country"},
	"status":         {"status", "shipment_status", "delivery_status", "state_of_shipment"},
}

var aliasField = func() map[string]string {
	m := map[string]string{}
	for f, names := range aliases {
		for _, n := range names {
			m[n] = f
		}
	}
	return m
}()

type header struct {
	names []string
	norm  []string
	col   map[string]int
}

func readHeader(names []string) (*header, string, error) {
	h := &header{names: append([]string(nil), names...), col: map[string]int{}}
	for i, n := range names {
		nn := csvtable.NormHeader(n)
		h.norm = append(h.norm, nn)
		f, ok := aliasField[nn]
		if !ok {
			continue
		}
		if j, dup := h.col[f]; dup {
			return nil, n, fmt.Errorf("column %q means %s, as column %q already does", n, f, names[j])
		}
		h.col[f] = i
	}
	if _, ok := h.col["address1"]; !ok {
		return nil, "", errors.New("no address column: want address, address_line_1 or street")
	}
	return h, "", nil
}

type row struct {
	h      *header
	fields []string
	line   int
}

func (r row) get(f string) string {
	i, ok := r.h.col[f]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

func (r row) column(f string) string {
	if i, ok := r.h.col[f]; ok {
		return r.h.names[i]
	}
	return f
}

// Parse reads one CSV export from r and emits a shipment event per data
// row, or a reject naming the line and column.
func (p *Parser) Parse(ctx context.Context, r io.Reader, opts ingest.Options, emit func(ingest.Record) error) error {
	canon := opts.Canon
	if canon == nil {
		canon = &ident.Canonicalizer{Digester: opts.Digest, DefaultRegion: opts.DefaultRegion}
	}
	reject := func(line int, field string, err error) error {
		return emit(ingest.Record{Reject: &molehunt.Reject{
			Source: molehunt.SourceShipping, File: opts.File, Record: fmt.Sprintf("line %d", line), Field: field, Reason: err.Error(),
		}})
	}
	cr := csvtable.NewReader(r)
	var h *header
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if err := reject(pe.StartLine, "", fmt.Errorf("%w (line %d, byte %d)", pe.Err, pe.Line, pe.Column)); err != nil {
				return err
			}
			if h == nil {
				return nil
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("shipping: read %s: %w", opts.File, err)
		}
		line, _ := cr.FieldPos(0)
		if h == nil {
			var col string
			if h, col, err = readHeader(fields); err != nil {
				return reject(line, col, err)
			}
			continue
		}
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue
		}
		if len(fields) != len(h.names) {
			if err := reject(line, "", fmt.Errorf("%d fields; the header has %d", len(fields), len(h.names))); err != nil {
				return err
			}
			continue
		}
		ev, field, err := p.event(row{h: h, fields: fields, line: line}, canon)
		if err == nil {
			err = ev.Validate()
			if err != nil {
				rj := molehunt.RejectOf(molehunt.SourceShipping, opts.File, err)
				rj.Record = fmt.Sprintf("line %d", line)
				if err := emit(ingest.Record{Reject: &rj}); err != nil {
					return err
				}
				continue
			}
		}
		if err != nil {
			if err := reject(line, field, err); err != nil {
				return err
			}
			continue
		}
		if err := emit(ingest.Record{Event: ev}); err != nil {
			return err
		}
	}
}

type rawRow struct {
	Format  string            `json:"format"`
	Line    int               `json:"line"`
	Columns map[string]string `json:"columns"`
}

func (p *Parser) event(r row, canon *ident.Canonicalizer) (*molehunt.Event, string, error) {
	ev := &molehunt.Event{Kind: molehunt.EventShipment, Source: molehunt.SourceShipping}
	when, col := r.get("ship_date"), r.column("ship_date")
	if when == "" {
		when, col = r.get("delivered_date"), r.column("delivered_date")
	}
	if when == "" {
		return nil, r.column("ship_date"), errors.New("no ship date")
	}
	t, err := csvtable.ParseTime(when, p.cfg.DayFirst)
	if err != nil {
		return nil, col, err
	}
	ev.Time = t
	street := strings.Join(nonEmpty(r.get("address1"), r.get("address2"), r.get("address3")), " ")
	addr, err := NormaliseAddress(molehunt.Address{
		Street: street, City: r.get("city"), Region: r.get("region"), PostalCode: r.get("postal"), Country: r.get("country"),
	})
	if err != nil {
		return nil, r.column("address1"), err
	}
	d := &molehunt.ShipmentDetail{Address: addr, AssetTag: r.get("asset_tag"), Carrier: r.get("carrier")}
	d.Tracking = strings.ToUpper(strings.Join(strings.Fields(r.get("tracking")), ""))
	for _, f := range []struct {
		field string
		kind  molehunt.IdentifierKind
	}{{"email", molehunt.IDEmail}, {"login", molehunt.IDLogin}, {"serial", molehunt.IDDeviceSerial}} {
		v := r.get(f.field)
		if v == "" {
			continue
		}
		id, err := canon.Identifier(f.kind, v)
		if err != nil {
			return nil, r.column(f.field), err
		}
		ev.Actor = append(ev.Actor, id)
		if f.kind == molehunt.IDDeviceSerial {
			d.Serial = id.Value
		}
	}
	ev.Shipment = d
	device := d.AssetTag
	if device == "" {
		device = d.Serial
	}
	carrier := strings.ToLower(strings.Join(strings.Fields(d.Carrier), ""))
	switch {
	case r.get("id") != "":
		ev.SourceEventID = "id:" + r.get("id")
	case d.Tracking != "" && carrier != "":
		ev.SourceEventID = carrier + ":" + d.Tracking
		if device != "" {
			ev.SourceEventID += "/" + device
		}
	case d.AssetTag != "":
		ev.SourceEventID = "asset:" + d.AssetTag + ":" + t.Format("2006-01-02")
	case d.Serial != "":
		ev.SourceEventID = "serial:" + d.Serial + ":" + t.Format("2006-01-02")
	default:
		ev.SourceEventID = "row:" + rowHash(r)
	}
	raw := rawRow{Format: "shipping-csv", Line: r.line, Columns: map[string]string{}}
	for i, name := range r.h.names {
		raw.Columns[name] = strings.TrimSpace(r.fields[i])
	}
	if ev.Raw, err = json.Marshal(raw); err != nil {
		return nil, "", err
	}
	return ev, "", nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func rowHash(r row) string {
	var pairs []string
	for i, nn := range r.h.norm {
		if v := strings.TrimSpace(r.fields[i]); v != "" {
			pairs = append(pairs, nn+"="+v)
		}
	}
	sort.Strings(pairs)
	sum := sha256.Sum256([]byte(strings.Join(pairs, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// sentinelStreet stands for the street when NormaliseAddress asks
// ident.Address about one other part: ident.Address needs a street line.
const sentinelStreet = "X"

// NormaliseAddress returns a with each part in the canonical form of
// ident.Address: the street line with abbreviations and the unit moved to
// its end, city folded, a US state name as its code, a ZIP+4 cut to five
// digits, a country name as its ISO code. ident.Address of the result
// equals ident.Address of a. It fails when a has no street line.
func NormaliseAddress(a molehunt.Address) (molehunt.Address, error) {
	full, err := ident.Address(a)
	if err != nil {
		return molehunt.Address{}, err
	}
	part := func(x molehunt.Address) string {
		x.Street = sentinelStreet
		n, err := ident.Address(x)
		if err != nil {
			return ""
		}
		return strings.TrimPrefix(strings.TrimPrefix(n.Full, sentinelStreet), ", ")
	}
	country := part(molehunt.Address{Country: a.Country})
	// Region and postal code are read under the address's country (state
	// names and ZIP+4 are US rules), then the country is cut off again.
	inCountry := func(x molehunt.Address) string {
		x.Country = a.Country
		v := part(x)
		if country == "" {
			return v
		}
		if v == country {
			return ""
		}
		return strings.TrimSuffix(v, ", "+country)
	}
	street, err := ident.AddressLine(a.Street)
	if err != nil {
		return molehunt.Address{}, err
	}
	out := molehunt.Address{
		Street:     street.Full,
		City:       part(molehunt.Address{City: a.City}),
		Region:     inCountry(molehunt.Address{Region: a.Region}),
		PostalCode: inCountry(molehunt.Address{PostalCode: a.PostalCode}),
		Country:    country,
	}
	if again, err := ident.Address(out); err != nil || again.Full != full.Full {
		// Keep the parts as given rather than a form that would not key
		// the same dwelling; ident.Address of it is still the right key.
		return molehunt.Address{Street: strings.TrimSpace(a.Street), City: strings.TrimSpace(a.City), Region: strings.TrimSpace(a.Region),
			PostalCode: strings.TrimSpace(a.PostalCode), Country: strings.TrimSpace(a.Country)}, nil
	}
	return out, nil
}
