package molehunt

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an error so that adapters can map it to a transport
// status (an HTTP code, a CLI exit code) without reading its text.
type ErrorCode string

// The error codes. Keep the set small: each code is a class of failure a
// caller can act on differently.
const (
	EInvalid      ErrorCode = "invalid"      // the caller sent something malformed
	ENotFound     ErrorCode = "not_found"    // the thing asked for does not exist
	EConflict     ErrorCode = "conflict"     // the request clashes with current state
	EUnauthorized ErrorCode = "unauthorized" // no or bad credentials
	EForbidden    ErrorCode = "forbidden"    // credentials fine, permission missing
	ETooLarge     ErrorCode = "too_large"    // the request exceeds a size limit
	EUnavailable  ErrorCode = "unavailable"  // not ready yet, or a dependency is down
	EInternal     ErrorCode = "internal"     // a bug or an unexpected failure
)

// Error is molehunt's error type: a code, the operation that failed, a
// message safe to show to a user, and the underlying error for logs.
type Error struct {
	Code    ErrorCode
	Op      string
	Message string
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	} else if e.Err != nil {
		msg = msg + ": " + e.Err.Error()
	}
	if e.Op != "" {
		return e.Op + ": " + msg
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code ErrorCode, op, format string, args ...any) *Error {
	return &Error{Code: code, Op: op, Message: fmt.Sprintf(format, args...)}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, EInvalid
// for a *RecordError (bad input), EInternal for any other non-nil error, and
// "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	var re *RecordError
	if errors.As(err, &re) {
		return EInvalid
	}
	return EInternal
}

// ErrorMessageOf returns the user-safe message of err: the Message of the
// first *Error in its chain, or a generic text for anything else.
func ErrorMessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	var re *RecordError
	if errors.As(err, &re) {
		return re.Error()
	}
	return "internal error"
}

// RecordError reports bad input: which file, which record (a line number or
// an element path) and which field failed, and why. Parsers return it so a
// user can find and fix the offending record.
type RecordError struct {
	File   string // file name or URL
	Record string // "line 12", "INDIVIDUAL[3] (DATAID 6908555)", ...
	Field  string // column or element name
	Err    error
}

// Error implements the error interface.
func (e *RecordError) Error() string {
	s := e.File
	if e.Record != "" {
		s += ": " + e.Record
	}
	if e.Field != "" {
		s += ": field " + e.Field
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *RecordError) Unwrap() error { return e.Err }
