// Package jsonstream walks a stream of JSON records whatever its framing:
// a JSON array, NDJSON (one value a line), or one or more pretty-printed
// values. A value that is a container (a page or a hook delivery holding an
// array of records under a path) is streamed element by element, so memory
// stays bounded by one record, not by the page. The identity-provider
// parsers share it.
package jsonstream

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"molehunt"
)

// maxLine bounds one NDJSON line; a longer line stops the stream.
const maxLine = 64 << 20

// RecordFunc receives one record and where it was ("record 3", "line 7").
// It returns only errors that must stop the stream (emit failed, ctx done):
// a bad record is its business to reject.
type RecordFunc func(where string, raw json.RawMessage) error

// syntaxError is a JSON framing error, fatal in a stream of values and a
// reject of one line in NDJSON.
type syntaxError struct {
	offset int64
	err    error
}

// synErr records a framing error at dec's offset, naming a truncated value
// as such rather than as a bare EOF.
func synErr(dec *json.Decoder, err error) *syntaxError {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("unexpected end of JSON value")
	}
	return &syntaxError{dec.InputOffset(), err}
}

func (e *syntaxError) Error() string { return fmt.Sprintf("offset %d: %v", e.offset, e.err) }
func (e *syntaxError) Unwrap() error { return e.err }

// Walker walks one stream. Set the exported fields, then call Run once.
type Walker struct {
	// File names the input in errors.
	File string
	// ContainerPath is the path of the array of records inside a container
	// value, e.g. ["data", "events"] for an Okta event hook delivery.
	ContainerPath []string
	// Fn receives each record.
	Fn RecordFunc
	// OnLineError rejects a malformed NDJSON line.
	OnLineError func(where string, err error) error
	n           int // records seen outside NDJSON
}

// Run sniffs the framing of r and walks it.
func (w *Walker) Run(ctx context.Context, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := firstByte(br)
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return &molehunt.RecordError{File: w.File, Err: err}
	}
	if first == '{' {
		line, err := readLine(br)
		if err != nil && err != io.EOF {
			return &molehunt.RecordError{File: w.File, Record: "line 1", Err: err}
		}
		if json.Valid(bytes.TrimSpace(line)) {
			return w.ndjson(ctx, line, br)
		}
		return w.values(ctx, io.MultiReader(bytes.NewReader(line), br))
	}
	return w.values(ctx, br)
}

// firstByte skips white space and a UTF-8 byte order mark and peeks at the
// first byte of the content.
func firstByte(br *bufio.Reader) (byte, error) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.Discard(1)
			continue
		}
		return b[0], nil
	}
}

// readLine reads up to and including the next '\n', refusing lines longer
// than maxLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			return nil, fmt.Errorf("line longer than %d bytes", maxLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, err
	}
}

// ndjson walks one value (or several) a line; a malformed line is
// rejected and the next one read.
func (w *Walker) ndjson(ctx context.Context, first []byte, br *bufio.Reader) error {
	line, n := first, 1
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			where := "line " + strconv.Itoa(n)
			dec := json.NewDecoder(bytes.NewReader(t))
			count := 0
			label := func() string {
				count++
				if count == 1 {
					return where
				}
				return fmt.Sprintf("%s value %d", where, count)
			}
			err := w.walkValues(ctx, dec, label, func(i int) string { return fmt.Sprintf("%s record %d", where, i) })
			var se *syntaxError
			if errors.As(err, &se) {
				err = w.OnLineError(where, se.err)
			}
			if err != nil {
				return err
			}
		}
		var err error
		line, err = readLine(br)
		n++
		if err == io.EOF && len(line) == 0 {
			return nil
		}
		if err != nil && err != io.EOF {
			return &molehunt.RecordError{File: w.File, Record: "line " + strconv.Itoa(n), Err: err}
		}
	}
}

// values walks a stream of JSON values; a framing error stops it.
func (w *Walker) values(ctx context.Context, r io.Reader) error {
	dec := json.NewDecoder(r)
	next := func() string { w.n++; return "record " + strconv.Itoa(w.n) }
	err := w.walkValues(ctx, dec, next, func(int) string { return next() })
	var se *syntaxError
	if errors.As(err, &se) {
		return &molehunt.RecordError{File: w.File, Record: fmt.Sprintf("offset %d", se.offset), Err: se.err}
	}
	return err
}

// walkValues walks every top-level value of dec. label names a top-level
// record; elem names the i-th (1-based) element of a container or array.
func (w *Walker) walkValues(ctx context.Context, dec *json.Decoder, label func() string, elem func(int) string) error {
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return synErr(dec, err)
		}
		switch tok {
		case json.Delim('['):
			if err := w.array(ctx, dec, elem); err != nil {
				return err
			}
		case json.Delim('{'):
			if err := w.object(ctx, dec, label, elem); err != nil {
				return err
			}
		default:
			// A scalar where a record belongs: hand it over to be rejected.
			raw, _ := json.Marshal(tok)
			if err := w.Fn(label(), raw); err != nil {
				return err
			}
		}
	}
}

// array streams the elements of an array whose '[' was read.
func (w *Walker) array(ctx context.Context, dec *json.Decoder, elem func(int) string) error {
	for i := 1; dec.More(); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return synErr(dec, err)
		}
		if err := w.Fn(elem(i), raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return synErr(dec, err)
	}
	return nil
}

type member struct {
	key string
	val json.RawMessage
}

// object reads an object whose '{' was read. If it holds containerPath it
// is a container and the records under the path are streamed; otherwise it
// is a record itself, rebuilt from its members in their order (duplicate
// keys kept, as received).
func (w *Walker) object(ctx context.Context, dec *json.Decoder, label func() string, elem func(int) string) error {
	var members []member
	container, err := w.members(ctx, dec, w.ContainerPath, elem, &members)
	if err != nil {
		return err
	}
	if container {
		return nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.val)
	}
	b.WriteByte('}')
	return w.Fn(label(), b.Bytes())
}

// members reads the members of an object whose '{' was read, streaming
// the array under path if present (and reporting it as a container);
// other members are collected into out when out is not nil.
func (w *Walker) members(ctx context.Context, dec *json.Decoder, path []string, elem func(int) string, out *[]member) (bool, error) {
	container := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false, synErr(dec, err)
		}
		key, _ := tok.(string)
		if len(path) > 0 && key == path[0] {
			tok, err := dec.Token()
			if err != nil {
				return false, synErr(dec, err)
			}
			switch {
			case tok == nil:
				container = true
			case len(path) == 1 && tok == json.Delim('['):
				container = true
				if err := w.array(ctx, dec, elem); err != nil {
					return false, err
				}
			case len(path) > 1 && tok == json.Delim('{'):
				container = true
				if _, err := w.members(ctx, dec, path[1:], elem, nil); err != nil {
					return false, err
				}
			default:
				return false, &syntaxError{dec.InputOffset(), fmt.Errorf("member %q: want an array of records", key)}
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return false, synErr(dec, err)
		}
		if out != nil {
			*out = append(*out, member{key, raw})
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return false, synErr(dec, err)
	}
	return container, nil
}
