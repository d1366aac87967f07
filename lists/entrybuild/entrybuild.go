// Package entrybuild gathers one list entry from formats that spread an
// entity over many rows or elements (the EU and UK lists repeat a
// designation on every row), dropping exact repeats as they come.
package entrybuild

import (
	"fmt"
	"strings"

	"molehunt"
)

// Builder accumulates one entry. Parsers embed it and add their own
// format-specific methods.
type Builder struct {
	E       molehunt.ListEntry
	Names   map[string]int // name key → index in E.Names
	Remarks []string
	Titles  []string
	Listed  string
	seen    map[string]bool
}

// New starts the entry sourceID of list.
func New(list molehunt.ListName, sourceID string) *Builder {
	return &Builder{
		E:     molehunt.ListEntry{ID: molehunt.EntryID(list, sourceID), SourceID: sourceID, List: list},
		Names: map[string]int{},
		seen:  map[string]bool{},
	}
}

// Once reports whether key is new, and remembers it.
func (b *Builder) Once(key string) bool {
	if b.seen[key] {
		return false
	}
	b.seen[key] = true
	return true
}

// AppendUnique appends v, with white space collapsed, to dst unless it is
// empty or field already holds it.
func (b *Builder) AppendUnique(dst *[]string, field, v string) {
	v = Clean(v)
	if v == "" || !b.Once(field+"\x00"+v) {
		return
	}
	*dst = append(*dst, v)
}

// Remark keeps a remark once.
func (b *Builder) Remark(v string) {
	v = strings.TrimSpace(v)
	if v == "" || !b.Once("remark\x00"+v) {
		return
	}
	b.Remarks = append(b.Remarks, v)
}

// BadValue keeps an optional value the parser could not read, so nothing
// the list says is lost.
func (b *Builder) BadValue(field, v string) {
	b.Remark(fmt.Sprintf("unparsed %s: %q", field, v))
}

// Clean collapses runs of white space to one space and trims the ends.
func Clean(s string) string { return strings.Join(strings.Fields(s), " ") }
