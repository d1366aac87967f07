-- Subjects, their identifiers, events and rejects. Unqualified names: the
-- tables live in the first schema of the connection's search_path.

CREATE TABLE subjects (
    id         text COLLATE "C" PRIMARY KEY,  -- byte order, as in SQLite
    role       text NOT NULL,
    status     text NOT NULL,
    doc        jsonb NOT NULL,           -- the molehunt.Subject
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX subjects_role ON subjects (role, id);

-- One row per identifier a subject holds: the index of FindSubjects and of
-- the linker.
CREATE TABLE subject_identifiers (
    kind       text NOT NULL,
    value      text NOT NULL,
    subject_id text NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value, subject_id)
);
CREATE INDEX subject_identifiers_subject ON subject_identifiers (subject_id);

-- An event's id is "<source>:<source_event_id>" (molehunt.EventID): the
-- idempotency key is also the id index.
CREATE TABLE events (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text NOT NULL,
    source_event_id text NOT NULL,
    kind            text NOT NULL,
    time            timestamptz NOT NULL,
    subject_id      text,                -- NULL while unresolved
    doc             jsonb NOT NULL,      -- the molehunt.Event without Raw
    raw             bytea,               -- the source's record, byte for byte
    UNIQUE (source, source_event_id)
);
CREATE INDEX events_subject_time ON events (subject_id, time, seq) WHERE subject_id IS NOT NULL;
CREATE INDEX events_unresolved ON events (time, seq) WHERE subject_id IS NULL;

CREATE TABLE rejects (
    run    text NOT NULL,
    seq    integer NOT NULL,
    source text NOT NULL,
    file   text NOT NULL,
    record text NOT NULL,
    field  text NOT NULL,
    reason text NOT NULL,
    PRIMARY KEY (run, seq)
);
