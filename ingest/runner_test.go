package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"molehunt"
	"molehunt/ingest"
)

// fakeStore keeps events in memory and fails AppendEvents from call
// failAt on (0: never). Methods the Runner does not use panic through the
// nil embedded interface.
type fakeStore struct {
	molehunt.Store
	mu       sync.Mutex
	events   map[string]molehunt.Event
	subjects map[molehunt.Identifier]string
	rejects  int
	calls    int
	failAt   int
}

func newFakeStore() *fakeStore {
	return &fakeStore{events: map[string]molehunt.Event{}, subjects: map[molehunt.Identifier]string{}}
}

func (f *fakeStore) UpsertSubjects(_ context.Context, ss []molehunt.Subject) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range ss {
		for _, id := range s.Identifiers {
			f.subjects[id] = s.ID
		}
	}
	return nil
}

func (f *fakeStore) FindSubjects(_ context.Context, id molehunt.Identifier) ([]molehunt.Subject, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if sid, ok := f.subjects[id]; ok {
		return []molehunt.Subject{{ID: sid}}, nil
	}
	return nil, nil
}

func (f *fakeStore) AppendEvents(_ context.Context, evs []molehunt.Event) (molehunt.AppendResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.failAt > 0 && f.calls >= f.failAt {
		return molehunt.AppendResult{}, molehunt.Errorf(molehunt.EUnavailable, "fake", "disk gone")
	}
	var r molehunt.AppendResult
	for _, e := range evs {
		id := molehunt.EventID(e.Source, e.SourceEventID)
		if _, ok := f.events[id]; ok {
			r.Duplicates++
			continue
		}
		f.events[id] = e
		r.Accepted++
	}
	return r, nil
}

func (f *fakeStore) AppendRejects(_ context.Context, _ string, rs []molehunt.Reject) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejects += len(rs)
	return nil
}

// countingParser emits a subject, then n events (every tenth record a
// reject), counting what it emitted.
type countingParser struct {
	n       int
	emitted int
}

func (*countingParser) Source() molehunt.Source { return "test" }

func (p *countingParser) Parse(ctx context.Context, _ io.Reader, _ ingest.Options, emit func(ingest.Record) error) error {
	subj := molehunt.Subject{ID: "s1", Identifiers: []molehunt.Identifier{{Kind: molehunt.IDEmail, Value: "a@example.com"}}}
	if err := emit(ingest.Record{Subject: &subj}); err != nil {
		return err
	}
	for i := range p.n {
		if err := ctx.Err(); err != nil {
			return err
		}
		p.emitted++
		if i%10 == 9 {
			if err := emit(ingest.Record{Reject: &molehunt.Reject{File: "f", Record: fmt.Sprintf("line %d", i), Reason: "bad"}}); err != nil {
				return err
			}
			continue
		}
		actor := "a@example.com"
		if i%2 == 1 {
			actor = "nobody@example.com"
		}
		e := molehunt.Event{Kind: molehunt.EventAuthentication, Source: "test", SourceEventID: fmt.Sprint(i), Time: time.Unix(int64(i), 0),
			Actor: []molehunt.Identifier{{Kind: molehunt.IDEmail, Value: actor}}, Auth: &molehunt.AuthDetail{}}
		if err := emit(ingest.Record{Event: &e}); err != nil {
			return err
		}
	}
	return nil
}

func TestRunnerCommitsInOrderAndResolves(t *testing.T) {
	store := newFakeStore()
	var progress []ingest.Summary
	var rejects int
	ru := &ingest.Runner{Store: store, BatchSize: 100,
		Progress: func(s ingest.Summary) { progress = append(progress, s) },
		OnReject: func(molehunt.Reject) { rejects++ },
	}
	p := &countingParser{n: 1000}
	sum, err := ru.Ingest(t.Context(), p, strings.NewReader(""), ingest.Options{File: "f"}, "run")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 900 || sum.Rejected != 100 || sum.Subjects != 1 || sum.Unresolved != 400 || rejects != 100 {
		t.Fatalf("summary %+v, %d rejects seen; want 900 accepted, 100 rejected, 1 subject, 400 unresolved", sum, rejects)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i].Accepted < progress[i-1].Accepted {
			t.Fatalf("progress went back: %+v after %+v", progress[i], progress[i-1])
		}
	}
	if last := progress[len(progress)-1]; last.Accepted != 900 {
		t.Errorf("last progress %+v; want the final totals", last)
	}
	if e := store.events["test:0"]; e.SubjectID != "s1" {
		t.Errorf("event 0 subject %q; want s1", e.SubjectID)
	}

	// Again: every event is a duplicate.
	sum, err = ru.Ingest(t.Context(), &countingParser{n: 1000}, strings.NewReader(""), ingest.Options{File: "f"}, "run2")
	if err != nil || sum.Accepted != 0 || sum.Duplicates != 900 {
		t.Fatalf("rerun %+v, %v; want 900 duplicates", sum, err)
	}
}

func TestRunnerStopsParsingWhenACommitFails(t *testing.T) {
	store := newFakeStore()
	store.failAt = 3
	ru := &ingest.Runner{Store: store, BatchSize: 100}
	p := &countingParser{n: 100000}
	sum, err := ru.Ingest(t.Context(), p, strings.NewReader(""), ingest.Options{File: "f"}, "run")
	if molehunt.ErrorCodeOf(err) != molehunt.EUnavailable {
		t.Fatalf("err %v; want the store's unavailable error", err)
	}
	// Two batches committed; the parser read at most two batches beyond.
	if got := len(store.events); sum.Accepted != got || got == 0 {
		t.Errorf("summary accepted %d, store holds %d; want equal and non-zero", sum.Accepted, got)
	}
	if p.emitted > 500 {
		t.Errorf("parser emitted %d records after the failure; want it stopped within a batch or two", p.emitted)
	}
}

func TestRunnerParseErrorKeepsCommittedBatches(t *testing.T) {
	store := newFakeStore()
	ru := &ingest.Runner{Store: store, BatchSize: 10}
	boom := errors.New("unreadable stream")
	p := parserFunc(func(ctx context.Context, emit func(ingest.Record) error) error {
		for i := range 25 {
			e := molehunt.Event{Kind: molehunt.EventAuthentication, Source: "test", SourceEventID: fmt.Sprint(i), Time: time.Unix(1, 0), Auth: &molehunt.AuthDetail{}}
			if err := emit(ingest.Record{Event: &e}); err != nil {
				return err
			}
		}
		return boom
	})
	sum, err := ru.Ingest(t.Context(), p, strings.NewReader(""), ingest.Options{}, "run")
	if !errors.Is(err, boom) {
		t.Fatalf("err %v; want the parser's", err)
	}
	if sum.Accepted != 20 || len(store.events) != 20 {
		t.Errorf("summary %d, stored %d; want the two full batches (20) committed and counted", sum.Accepted, len(store.events))
	}
}

type parserFunc func(ctx context.Context, emit func(ingest.Record) error) error

func (parserFunc) Source() molehunt.Source { return "test" }

func (f parserFunc) Parse(ctx context.Context, _ io.Reader, _ ingest.Options, emit func(ingest.Record) error) error {
	return f(ctx, emit)
}
