package ingest

import (
	"context"
	"fmt"
	"io"
	"time"

	"molehunt"
)

// Summary counts what one ingestion run did.
type Summary struct {
	Run        string          `json:"run"`
	File       string          `json:"file"`
	Source     molehunt.Source `json:"source"`
	Subjects   int             `json:"subjects"`
	Accepted   int             `json:"accepted"`   // events newly stored
	Duplicates int             `json:"duplicates"` // events already stored under their source id
	Rejected   int             `json:"rejected"`   // records refused, each in the rejects report
	Unresolved int             `json:"unresolved"` // events of this input no subject could be found for (kept, not dropped)
	Elapsed    time.Duration   `json:"elapsed_ns"`
}

// Add folds o into s (for a run over several files).
func (s *Summary) Add(o Summary) {
	s.Subjects += o.Subjects
	s.Accepted += o.Accepted
	s.Duplicates += o.Duplicates
	s.Rejected += o.Rejected
	s.Unresolved += o.Unresolved
	s.Elapsed += o.Elapsed
}

// Runner feeds a parser's records into a store in batches: subjects first,
// then events resolved to subjects by their actor identifiers, then
// rejects. Batches are committed one at a time, in input order, on a
// goroutine of their own while the parser reads the next batch, so parsing
// and storing overlap on two cores and memory holds at most two batches. A
// crash loses at most what was not yet committed, and a rerun absorbs what
// was stored as duplicates.
type Runner struct {
	Store molehunt.Store
	// BatchSize is the most records held before a commit. Default 1,000.
	BatchSize int
	// Progress, when set, is called after each committed batch with the
	// running totals, from the goroutine that commits (one call at a time,
	// in order): everything it counts is durable.
	Progress func(Summary)
	// OnReject, when set, is called with each reject once it is stored
	// (on the committing goroutine), so a caller can show the first few
	// without reading the whole report back.
	OnReject func(molehunt.Reject)
	Now      func() time.Time
}

// Ingest parses r with p and stores what it yields under the run id. It
// returns only after the last batch is committed; on error the summary
// counts what was committed before it.
func (ru *Runner) Ingest(ctx context.Context, p Parser, r io.Reader, opts Options, run string) (Summary, error) {
	size := ru.BatchSize
	if size <= 0 {
		size = 1000
	}
	now := ru.Now
	if now == nil {
		now = time.Now
	}
	if opts.Now == nil {
		opts.Now = now
	}
	start := now()
	sum := Summary{Run: run, File: opts.File, Source: p.Source()}

	// The committer owns sum, the resolution cache and the store; the
	// parser (this goroutine) fills one batch while the other commits.
	parseCtx, stopParse := context.WithCancelCause(ctx)
	defer stopParse(nil)
	full := make(chan *batch)
	free := make(chan *batch, 2)
	free <- &batch{}
	free <- &batch{}
	committed := make(chan error, 1)
	res := &resolver{store: ru.Store, resolved: make(map[molehunt.Identifier]string)}
	go func() {
		var err error
		for b := range full {
			if err == nil {
				err = b.commit(ctx, ru.Store, run, res, &sum, ru.OnReject)
				if err != nil {
					stopParse(err)
				} else if ru.Progress != nil {
					ru.Progress(sum)
				}
			}
			b.reset()
			free <- b
		}
		committed <- err
	}()
	cur := <-free
	send := func() error {
		select {
		case full <- cur:
		case <-parseCtx.Done():
			return context.Cause(parseCtx)
		}
		cur = <-free
		return nil
	}
	perr := p.Parse(parseCtx, r, opts, func(rec Record) error {
		switch {
		case rec.Subject != nil:
			cur.subjects = append(cur.subjects, *rec.Subject)
		case rec.Event != nil:
			cur.events = append(cur.events, *rec.Event)
		case rec.Reject != nil:
			cur.rejects = append(cur.rejects, *rec.Reject)
		}
		if cur.size() >= size {
			return send()
		}
		return nil
	})
	if perr == nil {
		// The last, partial batch (possibly empty: committing it still
		// reports progress once, as before).
		perr = send()
	}
	close(full)
	cerr := <-committed
	sum.Elapsed = now().Sub(start)
	switch {
	case cerr != nil:
		// A failed commit stopped the parser; its error is the cause.
		return sum, fmt.Errorf("ingest %s: %w", opts.File, cerr)
	case perr != nil:
		return sum, fmt.Errorf("ingest %s: %w", opts.File, perr)
	}
	return sum, nil
}

// batch is the records held between commits.
type batch struct {
	subjects []molehunt.Subject
	events   []molehunt.Event
	rejects  []molehunt.Reject
}

func (b *batch) size() int { return len(b.subjects) + len(b.events) + len(b.rejects) }

// reset empties the batch for reuse, dropping its references so that the
// records of a committed batch can be collected.
func (b *batch) reset() {
	clear(b.subjects)
	clear(b.events)
	clear(b.rejects)
	b.subjects, b.events, b.rejects = b.subjects[:0], b.events[:0], b.rejects[:0]
}

// resolver finds subjects for actor identifiers, caching identifier →
// subject id ("" for none or ambiguous) for one run; the cache is cleared
// when subjects are stored, since a new subject may claim an identifier.
type resolver struct {
	store    molehunt.Store
	resolved map[molehunt.Identifier]string
}

func (b *batch) commit(ctx context.Context, store molehunt.Store, run string, res *resolver, sum *Summary, onReject func(molehunt.Reject)) error {
	if len(b.subjects) > 0 {
		n, rejects, err := upsertSubjects(ctx, store, b.subjects)
		if err != nil {
			return err
		}
		sum.Subjects += n
		b.rejects = append(b.rejects, rejects...)
		clear(res.resolved)
	}
	if len(b.events) > 0 {
		for i := range b.events {
			if b.events[i].SubjectID == "" {
				id, err := res.resolve(ctx, b.events[i].Actor)
				if err != nil {
					return err
				}
				b.events[i].SubjectID = id
			}
		}
		ar, unresolved, rejects, err := appendEvents(ctx, store, b.events)
		if err != nil {
			return err
		}
		sum.Accepted += ar.Accepted
		sum.Duplicates += ar.Duplicates
		sum.Unresolved += unresolved
		b.rejects = append(b.rejects, rejects...)
	}
	if len(b.rejects) > 0 {
		if err := store.AppendRejects(ctx, run, b.rejects); err != nil {
			return fmt.Errorf("store rejects: %w", err)
		}
		sum.Rejected += len(b.rejects)
		if onReject != nil {
			for _, r := range b.rejects {
				onReject(r)
			}
		}
	}
	return nil
}

// upsertSubjects stores the batch in one transaction; when the store
// refuses it as invalid, it stores the subjects one by one so that only the
// bad ones become rejects.
func upsertSubjects(ctx context.Context, store molehunt.Store, subjects []molehunt.Subject) (int, []molehunt.Reject, error) {
	err := store.UpsertSubjects(ctx, subjects)
	if err == nil {
		return len(subjects), nil, nil
	}
	if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		return 0, nil, fmt.Errorf("store subjects: %w", err)
	}
	var n int
	var rejects []molehunt.Reject
	for i := range subjects {
		if err := store.UpsertSubjects(ctx, subjects[i:i+1]); err != nil {
			if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
				return n, rejects, fmt.Errorf("store subject %s: %w", subjects[i].ID, err)
			}
			rejects = append(rejects, molehunt.RejectOf("", "", err))
			continue
		}
		n++
	}
	return n, rejects, nil
}

// appendEvents stores the batch in one transaction, isolating invalid
// events the same way as upsertSubjects.
func appendEvents(ctx context.Context, store molehunt.Store, events []molehunt.Event) (molehunt.AppendResult, int, []molehunt.Reject, error) {
	unresolvedOf := func(evs []molehunt.Event, _ molehunt.AppendResult) int {
		n := 0
		for _, e := range evs {
			if e.SubjectID == "" {
				n++
			}
		}
		return n
	}
	res, err := store.AppendEvents(ctx, events)
	if err == nil {
		return res, unresolvedOf(events, res), nil, nil
	}
	if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
		return res, 0, nil, fmt.Errorf("store events: %w", err)
	}
	var total molehunt.AppendResult
	var unresolved int
	var rejects []molehunt.Reject
	for i := range events {
		r, err := store.AppendEvents(ctx, events[i:i+1])
		if err != nil {
			if molehunt.ErrorCodeOf(err) != molehunt.EInvalid {
				return total, unresolved, rejects, fmt.Errorf("store event %s/%s: %w", events[i].Source, events[i].SourceEventID, err)
			}
			rejects = append(rejects, molehunt.RejectOf(events[i].Source, "", err))
			continue
		}
		total.Accepted += r.Accepted
		total.Duplicates += r.Duplicates
		unresolved += unresolvedOf(events[i:i+1], r)
	}
	return total, unresolved, rejects, nil
}

// resolve finds the one subject holding any of the actor identifiers. When
// the identifiers point at different subjects, or one identifier at
// several, the event stays unresolved rather than being pinned on a guess.
func (res *resolver) resolve(ctx context.Context, actor []molehunt.Identifier) (string, error) {
	found := ""
	for _, id := range actor {
		sid, ok := res.resolved[id]
		if !ok {
			subjects, err := res.store.FindSubjects(ctx, id)
			if err != nil {
				return "", fmt.Errorf("resolve %s: %w", id, err)
			}
			if len(subjects) == 1 {
				sid = subjects[0].ID
			}
			res.resolved[id] = sid
		}
		if sid == "" {
			continue
		}
		if found != "" && found != sid {
			return "", nil
		}
		found = sid
	}
	return found, nil
}

// ResolvePending resolves stored events that had no subject when they
// arrived, now that more subjects may be known, and returns how many it
// resolved and how many remain unresolved.
func ResolvePending(ctx context.Context, store molehunt.Store) (resolved, remaining int, err error) {
	res := &resolver{store: store, resolved: make(map[molehunt.Identifier]string)}
	q := molehunt.EventQuery{Limit: 1000}
	for {
		page, err := store.UnresolvedEvents(ctx, q)
		if err != nil {
			return resolved, remaining, fmt.Errorf("list unresolved events: %w", err)
		}
		var rs []molehunt.Resolution
		for _, e := range page.Events {
			sid, err := res.resolve(ctx, e.Actor)
			if err != nil {
				return resolved, remaining, err
			}
			if sid == "" {
				remaining++
				continue
			}
			rs = append(rs, molehunt.Resolution{EventID: e.ID, SubjectID: sid})
		}
		if len(rs) > 0 {
			if err := store.ResolveEvents(ctx, rs); err != nil {
				return resolved, remaining, fmt.Errorf("resolve events: %w", err)
			}
			resolved += len(rs)
		}
		if page.Next == "" {
			return resolved, remaining, nil
		}
		q.After = page.Next
	}
}
