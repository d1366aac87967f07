package osquery

import (
	"strconv"
	"strings"

	"molehunt"
)

// table is what a query's rows describe.
type table int

const (
	tableUnknown table = iota
	tableUSB
	tableProcess
	tableProgram
	tableKeyboard
	tableLocale
	tableTimeZone
	tableSystemInfo
	tablePreferences // macOS preferences: keyboard or locale by domain and key
	tableRegistry    // Windows registry: keyboard, locale or time zone by path
	tableOther       // a known table molehunt does not read
)

// tableByName recognises the table from a query name. osquery names pack
// queries "pack<d><pack><d><query>" (pack_delimiter, "_" or "/"), so the
// name is split into words and the table is the first word run that names
// one; queries are often named after their table, or after what they
// look for ("keyboard_layout", "installed_apps").
func tableByName(name string) table {
	n := strings.ToLower(name)
	n = strings.NewReplacer("/", "_", "-", "_", ".", "_", ":", "_", " ", "_").Replace(n)
	words := "_" + n + "_"
	hasWord := func(w string) bool { return strings.Contains(words, "_"+w+"_") }
	switch {
	case strings.Contains(n, "usb_device") || hasWord("usb"):
		return tableUSB
	case strings.Contains(n, "system_info"):
		return tableSystemInfo
	case strings.Contains(n, "keyboard"):
		return tableKeyboard
	case strings.Contains(n, "timezone") || strings.Contains(n, "time_zone"):
		return tableTimeZone
	case strings.Contains(n, "locale"):
		return tableLocale
	case hasWord("processes") || hasWord("process_events") || hasWord("process_snapshot") ||
		hasWord("process") || hasWord("es_process_events") || hasWord("bpf_process_events"):
		return tableProcess
	case hasWord("programs") || hasWord("apps") || hasWord("deb_packages") || hasWord("rpm_packages") ||
		hasWord("homebrew_packages") || hasWord("chocolatey_packages") || hasWord("installed_apps") ||
		hasWord("installed_programs") || hasWord("packages") || hasWord("applications"):
		return tableProgram
	case hasWord("preferences"):
		return tablePreferences
	case hasWord("registry"):
		return tableRegistry
	case hasWord("socket_events") || hasWord("process_open_sockets") || hasWord("listening_ports") ||
		hasWord("startup_items") || hasWord("file_events") || hasWord("users") || hasWord("logged_in_users"):
		return tableOther
	}
	return tableUnknown
}

// tableByColumns recognises the table from the columns of a row, for
// queries whose name says nothing (and for the decorator-collision case,
// where a decoration overwrote the name).
func tableByColumns(c map[string]string) table {
	_, hasPID := c["pid"]
	_, hasPath := c["path"]
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := c[k]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("vendor_id") && (has("model_id") || has("product_id")):
		return tableUSB
	case has("hardware_serial") || has("cpu_brand") || (has("uuid") && has("hardware_model")):
		return tableSystemInfo
	case has("keyboard_layout") || has("layout"):
		return tableKeyboard
	case has("local_timezone"):
		return tableTimeZone
	case has("locale") || has("locale_name"):
		return tableLocale
	case has("domain", "key", "value"):
		return tablePreferences
	case has("path", "name", "data"):
		return tableRegistry
	case has("bundle_identifier") || (has("name", "version") && !hasPID):
		return tableProgram
	case hasPID && (has("cmdline") || has("parent") || (has("name") && hasPath)) &&
		!has("remote_address") && !has("local_address") && !has("fd") && !has("socket"):
		return tableProcess
	}
	return tableUnknown
}

// classify maps a row to the endpoint detail of its table, or nil when
// molehunt does not read that table or the row says nothing usable.
func classify(name string, c map[string]string) *molehunt.EndpointDetail {
	t := tableByName(name)
	if t == tableUnknown {
		t = tableByColumns(c)
	}
	// A name-recognised keyboard/locale/time zone query may read the
	// preferences or registry tables: the columns decide how to read it.
	if t == tableKeyboard || t == tableLocale || t == tableTimeZone {
		if ct := tableByColumns(c); ct == tablePreferences || ct == tableRegistry {
			return classifySetting(ct, c)
		}
	}
	switch t {
	case tableUSB:
		return &molehunt.EndpointDetail{
			Category:  molehunt.EndpointUSBDevice,
			VendorID:  usbID(c["vendor_id"]),
			ProductID: usbID(first(c["model_id"], c["product_id"])),
			Vendor:    first(c["vendor"], c["manufacturer"]),
			Product:   first(c["model"], c["product"]),
			Version:   c["version"],
		}
	case tableProcess:
		p := first(c["path"], c["exe"])
		return &molehunt.EndpointDetail{
			Category: molehunt.EndpointProcess,
			Name:     first(c["name"], baseName(p)),
			Path:     p,
		}
	case tableProgram:
		return &molehunt.EndpointDetail{
			Category: molehunt.EndpointProgram,
			Name:     first(c["name"], c["display_name"], c["bundle_name"]),
			Path:     first(c["path"], c["install_location"]),
			Version:  first(c["version"], c["bundle_short_version"], c["bundle_version"]),
			Vendor:   first(c["publisher"], c["vendor"], c["maintainer"]),
			Product:  c["bundle_identifier"],
		}
	case tableKeyboard:
		l := first(c["keyboard_layout"], c["layout"], c["value"], c["data"])
		if l == "" {
			return nil
		}
		return &molehunt.EndpointDetail{Category: molehunt.EndpointKeyboard, Layout: l, Name: c["name"]}
	case tableLocale:
		l := first(c["locale"], c["locale_name"], c["value"], c["data"])
		if l == "" {
			return nil
		}
		return &molehunt.EndpointDetail{Category: molehunt.EndpointLocale, Layout: l}
	case tableTimeZone:
		// The time table's "timezone" column is always UTC (the zone of
		// its own datetime columns); local_timezone is the machine's.
		z := c["local_timezone"]
		if _, isTimeTable := c["unix_time"]; !isTimeTable {
			z = first(z, c["time_zone"], c["timezone"], c["value"], c["data"])
		}
		if z == "" {
			return nil
		}
		return &molehunt.EndpointDetail{Category: molehunt.EndpointTimeZone, Zone: z}
	case tableSystemInfo:
		return &molehunt.EndpointDetail{
			Category: molehunt.EndpointSystemInfo,
			Vendor:   c["hardware_vendor"],
			Product:  c["hardware_model"],
			Name:     first(c["os_name"], c["platform"]),
			Version:  c["os_version"],
		}
	case tablePreferences, tableRegistry:
		return classifySetting(t, c)
	}
	return nil
}

// classifySetting reads keyboard layout, locale and time zone settings
// from macOS preferences rows (domain, key, subkey, value) and Windows
// registry rows (path, name, data). The language lists (AppleLanguages,
// Windows "Languages"/"PreferredUILanguages") are deliberately not read:
// language is never an input to detection (DESIGN.md).
func classifySetting(t table, c map[string]string) *molehunt.EndpointDetail {
	switch t {
	case tablePreferences:
		domain, key, sub, v := strings.ToLower(c["domain"]), c["key"], c["subkey"], c["value"]
		if v == "" {
			return nil
		}
		switch {
		case domain == "com.apple.hitoolbox" && strings.HasPrefix(key, "Apple") && strings.Contains(key, "InputSource"):
			// Rows of AppleSelectedInputSources etc. carry several
			// subkeys; the layout name and the input mode name matter.
			if sub != "" && !strings.Contains(sub, "KeyboardLayout Name") && !strings.Contains(sub, "Input Mode") &&
				!strings.Contains(sub, "Bundle ID") {
				return nil
			}
			n := key
			if sub != "" {
				n += "/" + sub
			}
			return &molehunt.EndpointDetail{Category: molehunt.EndpointKeyboard, Layout: v, Name: n}
		case key == "AppleLocale":
			return &molehunt.EndpointDetail{Category: molehunt.EndpointLocale, Layout: v, Name: key}
		}
	case tableRegistry:
		p, name, v := strings.ToLower(c["path"]), strings.ToLower(c["name"]), c["data"]
		if v == "" {
			return nil
		}
		switch {
		case strings.Contains(p, `\keyboard layout\preload`) || strings.Contains(p, `\keyboard layout\substitutes`):
			return &molehunt.EndpointDetail{Category: molehunt.EndpointKeyboard, Layout: v, Name: c["path"]}
		case strings.Contains(p, `\control panel\international`) && (name == "localename" || name == "locale"):
			return &molehunt.EndpointDetail{Category: molehunt.EndpointLocale, Layout: v, Name: c["path"]}
		case strings.Contains(p, `\timezoneinformation`) && (name == "timezonekeyname" || name == "standardname"):
			return &molehunt.EndpointDetail{Category: molehunt.EndpointTimeZone, Zone: v, Name: c["path"]}
		}
	}
	return nil
}

// usbID returns a USB vendor or product id as 4 lower-case hex digits:
// osquery prints "05ac" on macOS and Linux, some queries "0x05AC"; a
// value that is not 1 to 4 hex digits is dropped (it stays in Raw).
func usbID(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "0x")
	if s == "" || len(s) > 4 {
		return ""
	}
	if _, err := strconv.ParseUint(s, 16, 16); err != nil {
		return ""
	}
	return strings.Repeat("0", 4-len(s)) + s
}
