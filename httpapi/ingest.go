package httpapi

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/formats"
)

// ActionIngest is the action Authorize is asked about before
// POST /v1/ingest/{source} reads its body.
const ActionIngest = "ingest"

// DefaultMaxIngestBytes bounds an ingested request body unless
// IngestConfig.MaxBytes says otherwise.
const DefaultMaxIngestBytes = 64 << 20

// DefaultMaxListedRejects is how many rejects an ingest response lists
// unless IngestConfig.MaxListedRejects says otherwise; the count is always
// complete and the full report is in the store under the run id.
const DefaultMaxListedRejects = 100

// RecordsAPI holds what the routes over a company's own records need, and
// the authorisation hook every guarded route goes through. Server embeds
// it, so its fields read as the server's own (s.Authorize, s.Ingest).
type RecordsAPI struct {
	// Authorize, when set, is asked before a guarded route does anything,
	// with the action it is about to take (ActionIngest, ...). A non-nil
	// error refuses the request: an *molehunt.Error of code EUnauthorized
	// or EForbidden answers 401 or 403; any other error fails closed with
	// 500. Nil allows every request: authentication arrives with the
	// cases issue, and plugs in here without touching the handlers.
	Authorize func(r *http.Request, action string) error
	// Ingest configures POST /v1/ingest/{source}; nil (or a nil Store)
	// answers 503.
	Ingest *IngestConfig
}

// IngestConfig is what POST /v1/ingest/{source} needs: where records go
// and how they are canonicalised.
type IngestConfig struct {
	Store molehunt.Store
	// Canon and Digest canonicalise identifiers and digest account and
	// document numbers, with the installation's key.
	Canon  *ident.Canonicalizer
	Digest *ident.Digester
	// Formats carries the format switches (osquery keyboard/locale,
	// day-first dates).
	Formats formats.Config
	// DefaultRegion is the country assumed for phone numbers without a
	// country code. Default "US".
	DefaultRegion string
	// MaxBytes bounds a request body. Default DefaultMaxIngestBytes.
	MaxBytes int64
	// BatchSize is the records per committed batch. Default 1,000.
	BatchSize int
	// MaxListedRejects bounds the rejects listed in a response. Default
	// DefaultMaxListedRejects.
	MaxListedRejects int
	// RunID names an ingestion run (the key of its rejects report);
	// default "http-<UTC time>-<random>".
	RunID func() string
}

// authorized wraps a handler with the Authorize hook.
func (s *Server) authorized(action string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Authorize != nil {
			if err := s.Authorize(r, action); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		next(w, r)
	}
}

// ingestResponse is the body of a successful POST /v1/ingest/{source}:
// the counts of what was committed.
type ingestResponse struct {
	Run        string          `json:"run"`
	Source     molehunt.Source `json:"source"`
	Format     string          `json:"format"`
	File       string          `json:"file"`
	Subjects   int             `json:"subjects"`
	Accepted   int             `json:"accepted"`
	Duplicates int             `json:"duplicates"`
	Rejected   int             `json:"rejected"`
	// Rejects lists the first rejects (MaxListedRejects); RejectsTruncated
	// says more were stored under the run id than are listed.
	Rejects          []molehunt.Reject `json:"rejects"`
	RejectsTruncated bool              `json:"rejects_truncated"`
	// Unresolved counts this input's events no subject was found for
	// (kept, not dropped); ResolvedLater counts stored events that the
	// subjects of this input resolved.
	Unresolved    int     `json:"unresolved"`
	ResolvedLater int     `json:"resolved_later"`
	ElapsedMillis float64 `json:"elapsed_ms"`
}

// postIngest reads an export file from the body and stores its records.
// The query parameter file names the input in rejects and helps detection
// (an .ach extension); source "auto" detects the format from the content.
// It answers 200 only after the last batch is committed; a failure
// after some batches were committed says how many, and sending the same
// body again is safe: stored events come back as duplicates.
func (s *Server) postIngest(w http.ResponseWriter, r *http.Request) {
	const op = "ingest"
	cfg := s.Ingest
	if cfg == nil || cfg.Store == nil {
		s.writeError(w, r, molehunt.Errorf(molehunt.EUnavailable, op, "ingestion is not available: no store is configured"))
		return
	}
	maxBytes := cfg.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxIngestBytes
	}
	if r.ContentLength > maxBytes {
		s.writeError(w, r, molehunt.Errorf(molehunt.ETooLarge, op, "request body is %d bytes; at most %d", r.ContentLength, maxBytes))
		return
	}
	name := r.PathValue("source")
	file := r.URL.Query().Get("file")
	if file == "" {
		file = "request body"
	}
	body := bufio.NewReaderSize(http.MaxBytesReader(w, r.Body, maxBytes), 64<<10)
	format := name
	if name == "auto" {
		head, err := body.Peek(8 << 10)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			s.writeIngestError(w, r, maxBytes, ingest.Summary{}, err)
			return
		}
		if format, err = formats.Detect(file, head); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	p, err := formats.ByName(format, cfg.Formats)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	limit := cfg.MaxListedRejects
	if limit <= 0 {
		limit = DefaultMaxListedRejects
	}
	resp := ingestResponse{Format: format, File: file, Rejects: []molehunt.Reject{}}
	runner := &ingest.Runner{
		Store: cfg.Store, BatchSize: cfg.BatchSize, Now: s.Now,
		OnReject: func(rej molehunt.Reject) {
			if len(resp.Rejects) < limit {
				resp.Rejects = append(resp.Rejects, rej)
			} else {
				resp.RejectsTruncated = true
			}
		},
	}
	region := cfg.DefaultRegion
	if region == "" {
		region = "US"
	}
	canon := cfg.Canon
	if canon == nil {
		canon = &ident.Canonicalizer{Digester: cfg.Digest, DefaultRegion: region}
	}
	run := s.ingestRunID(cfg)
	opts := ingest.Options{File: file, Canon: canon, Digest: cfg.Digest, DefaultRegion: region, Now: s.Now}
	sum, err := runner.Ingest(r.Context(), p, body, opts, run)
	if err != nil {
		s.writeIngestError(w, r, maxBytes, sum, err)
		return
	}
	if sum.Subjects > 0 {
		// New subjects may own events that arrived before them.
		resolved, _, err := ingest.ResolvePending(r.Context(), cfg.Store)
		if err != nil {
			s.writeIngestError(w, r, maxBytes, sum, err)
			return
		}
		resp.ResolvedLater = resolved
	}
	resp.Run, resp.Source = sum.Run, sum.Source
	resp.Subjects, resp.Accepted, resp.Duplicates = sum.Subjects, sum.Accepted, sum.Duplicates
	resp.Rejected, resp.Unresolved = sum.Rejected, sum.Unresolved
	resp.ElapsedMillis = float64(sum.Elapsed.Microseconds()) / 1000
	writeJSON(w, http.StatusOK, resp)
}

// writeIngestError answers a failed ingestion: 413 when the body passed
// the limit, else by the error's code; the message says what had been
// committed before the failure, since that stays stored.
func (s *Server) writeIngestError(w http.ResponseWriter, r *http.Request, maxBytes int64, sum ingest.Summary, err error) {
	const op = "ingest"
	committed := ""
	if n := sum.Subjects + sum.Accepted + sum.Duplicates + sum.Rejected; n > 0 {
		committed = fmt.Sprintf(" (%d subjects, %d events and %d rejects of run %s were committed before it; sending the body again is safe, stored events count as duplicates)",
			sum.Subjects, sum.Accepted+sum.Duplicates, sum.Rejected, sum.Run)
	}
	var tooBig *http.MaxBytesError
	switch code := molehunt.ErrorCodeOf(err); {
	case errors.As(err, &tooBig):
		s.writeError(w, r, molehunt.Errorf(molehunt.ETooLarge, op, "request body is larger than %d bytes%s", maxBytes, committed))
	case code == molehunt.EInternal || committed == "":
		s.writeError(w, r, err)
	default:
		s.writeError(w, r, &molehunt.Error{Code: code, Op: op, Message: molehunt.ErrorMessageOf(err) + committed, Err: err})
	}
}

func (s *Server) ingestRunID(cfg *IngestConfig) string {
	if cfg.RunID != nil {
		return cfg.RunID()
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "http-" + s.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}
