// Package httpapi serves molehunt over HTTP: the JSON API under /v1, health
// and readiness probes, and the web console's pages. It speaks only to
// domain interfaces, so the same handlers serve the embedded and the
// scaled-out deployments.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"molehunt"
)

// ListSource is what the API needs of the list registry.
type ListSource interface {
	Ready() bool
	Lists() []molehunt.ListInfo
}

// Server holds the dependencies of the handlers.
type Server struct {
	Screener molehunt.Screener
	Lists    ListSource
	Logger   *slog.Logger
	// MaxBodyBytes bounds a request body. Default 4 MiB.
	MaxBodyBytes int64
	// MaxBatch bounds the queries of one POST /v1/screen. Default 1,000.
	MaxBatch int
	Now      func() time.Time
	RecordsAPI
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = 4 << 20
	}
	if s.MaxBatch == 0 {
		s.MaxBatch = 1000
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /v1/lists", s.getLists)
	mux.HandleFunc("GET /v1/screen", s.getScreen)
	mux.HandleFunc("POST /v1/screen", s.postScreen)
	mux.HandleFunc("POST /v1/ingest/{source}", s.authorized(ActionIngest, s.postIngest))
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, molehunt.Errorf(molehunt.ENotFound, "route", "no API route %s %s", r.Method, r.URL.Path))
	})
	s.routeUI(mux)
	return s.recoverer(securityHeaders(mux))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.Lists == nil || !s.Lists.Ready() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "not ready", "reason": "no sanctions list loaded yet"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "lists": s.Lists.Lists()})
}

func (s *Server) getLists(w http.ResponseWriter, r *http.Request) {
	lists := []molehunt.ListInfo{}
	if s.Lists != nil {
		lists = append(lists, s.Lists.Lists()...)
	}
	writeJSON(w, http.StatusOK, map[string]any{"lists": lists, "ready": s.Lists != nil && s.Lists.Ready()})
}

// statusOf is the one table from error codes to HTTP status.
func statusOf(code molehunt.ErrorCode) int {
	switch code {
	case molehunt.EInvalid:
		return http.StatusBadRequest
	case molehunt.ENotFound:
		return http.StatusNotFound
	case molehunt.EConflict:
		return http.StatusConflict
	case molehunt.EUnauthorized:
		return http.StatusUnauthorized
	case molehunt.EForbidden:
		return http.StatusForbidden
	case molehunt.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case molehunt.EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error struct {
		Code    molehunt.ErrorCode `json:"code"`
		Message string             `json:"message"`
	} `json:"error"`
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := molehunt.ErrorCodeOf(err)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		code = molehunt.EUnavailable
	}
	var body errorBody
	body.Error.Code = code
	body.Error.Message = molehunt.ErrorMessageOf(err)
	if code == molehunt.EInternal {
		s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else if code == molehunt.EUnavailable && body.Error.Message == "internal error" {
		body.Error.Message = "the service is not available; try again"
	}
	writeJSON(w, statusOf(code), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// securityHeaders sets headers every response carries: a strict content
// security policy (no inline scripts), no sniffing, no framing.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", v)
				s.writeError(w, r, molehunt.Errorf(molehunt.EInternal, "handler", "panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
