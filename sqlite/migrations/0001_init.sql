-- Subjects, their identifiers, events and rejects. Times are integer
-- microseconds since the Unix epoch, UTC, so that ranges compare as numbers.

CREATE TABLE subjects (
    id         TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    status     TEXT NOT NULL,
    doc        TEXT NOT NULL,          -- the molehunt.Subject as JSON
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL
);
CREATE INDEX subjects_role ON subjects (role, id);

-- One row per identifier a subject holds: the index of FindSubjects and of
-- the linker.
CREATE TABLE subject_identifiers (
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    subject_id TEXT NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value, subject_id)
) WITHOUT ROWID;
CREATE INDEX subject_identifiers_subject ON subject_identifiers (subject_id);

-- An event's id is "<source>:<source_event_id>" (molehunt.EventID), so the
-- idempotency key is also the id index: one random-order index per insert,
-- not two. The other indexes grow in time order and end in the rowid (seq),
-- which orders events of the same instant.
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY,   -- insertion order
    source          TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    kind            TEXT NOT NULL,
    time_us         INTEGER NOT NULL,
    subject_id      TEXT,                  -- NULL while unresolved
    doc             TEXT NOT NULL,         -- the molehunt.Event without Raw, as JSON
    raw             BLOB,                  -- the source's record, byte for byte
    UNIQUE (source, source_event_id)
);
CREATE INDEX events_subject_time ON events (subject_id, time_us) WHERE subject_id IS NOT NULL;
CREATE INDEX events_unresolved ON events (time_us) WHERE subject_id IS NULL;

CREATE TABLE rejects (
    run    TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    source TEXT NOT NULL,
    file   TEXT NOT NULL,
    record TEXT NOT NULL,
    field  TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (run, seq)
) WITHOUT ROWID;
