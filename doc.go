// Package molehunt holds the domain of molehunt: the types every capability
// shares — sanctions list entries, screening queries and matches; subjects,
// their canonical identifiers, the events observed about them and the
// rejects of ingestion; errors — and the interfaces through which
// capabilities and adapters meet (Screener, SubjectStore, EventStore,
// RejectStore, Store).
//
// It imports the standard library only; deps_test.go enforces that, and the
// rest of the dependency rule described in README.md.
package molehunt
