// Package screening is molehunt's name matcher: it normalises and
// transliterates names (Hangul by its own McCune–Reischauer and Revised
// Romanization tables), indexes the names of the loaded sanctions lists
// under exact, typo-tolerant (deletion neighbourhood), Korean romanisation,
// Korean surname and transliteration-skeleton keys, and scores candidates
// by aligning query tokens with listed tokens weighted by rarity (IDF).
//
// Index implements molehunt.Screener. It is immutable after New, so one
// index serves any number of goroutines; a new list version is served by
// building a new index and swapping the pointer.
package screening
