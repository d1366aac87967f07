// Package molehunt holds the domain of molehunt: the types every capability
// shares (sanctions list entries, screening queries and matches, errors) and
// the interfaces through which capabilities and adapters meet.
//
// It imports the standard library only; deps_test.go enforces that, and the
// rest of the dependency rule described in README.md.
package molehunt
