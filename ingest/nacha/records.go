package nacha

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// RecordLen is the length of every NACHA record: the "094" of the file
// header's record size field is the only size the rules allow.
const RecordLen = 94

// maxLineLen bounds how much of an overlong line is kept: enough to say
// what it is; the rest is read and dropped.
const maxLineLen = 4 * RecordLen

// recordReader yields the physical records of a file: lines (LF or CRLF) or,
// for a file written without line breaks, consecutive 94-byte blocks.
type recordReader struct {
	br      *bufio.Reader
	fixed   bool
	line    int
	tooLong bool // the last record was cut at maxLineLen
	buf     []byte
}

func newRecordReader(r io.Reader) *recordReader {
	br := bufio.NewReaderSize(r, 64<<10)
	rr := &recordReader{br: br, buf: make([]byte, 0, maxLineLen)}
	// A file without any line break in its first kilobyte is the unbroken
	// form some banks send: records back to back, 94 bytes each.
	peek, _ := br.Peek(1024)
	rr.fixed = len(peek) > RecordLen+2 && bytes.IndexByte(peek, '\n') < 0
	return rr
}

// next returns the next non-blank record without its line ending, or io.EOF.
func (rr *recordReader) next() ([]byte, error) {
	for {
		rec, err := rr.read()
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(rec)) == 0 {
			continue // blank lines carry nothing; they still count as lines
		}
		return rec, nil
	}
}

func (rr *recordReader) read() ([]byte, error) {
	rr.tooLong = false
	if rr.fixed {
		buf := rr.buf[:RecordLen]
		n, err := io.ReadFull(rr.br, buf)
		if n == 0 {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			return nil, err
		}
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		rr.line++
		return bytes.TrimRight(buf[:n], "\r\n"), nil
	}
	rr.buf = rr.buf[:0]
	for {
		chunk, err := rr.br.ReadSlice('\n')
		if room := maxLineLen - len(rr.buf); room > 0 {
			if len(chunk) > room {
				chunk = chunk[:room]
				rr.tooLong = true
			}
			rr.buf = append(rr.buf, chunk...)
		} else if len(chunk) > 0 {
			rr.tooLong = true
		}
		switch {
		case err == nil:
			rr.line++
			return bytes.TrimRight(rr.buf, "\r\n"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(rr.buf) == 0 {
				return nil, io.EOF
			}
			rr.line++
			return bytes.TrimRight(rr.buf, "\r\n"), nil
		default:
			return nil, err
		}
	}
}

// field returns positions start..end (1-based, inclusive, as the NACHA
// record layouts number them) of a record padded to RecordLen.
func field(rec []byte, start, end int) string { return string(rec[start-1 : end]) }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi parses an all-digit field; ok is false for anything else.
func atoi(s string) (int64, bool) {
	if !isDigits(s) || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// checkDigit computes the ABA check digit of an 8-digit routing prefix:
// weights 3, 7, 1 repeated, the digit that brings the sum to a multiple of 10.
func checkDigit(rdfi string) byte {
	w := [8]int{3, 7, 1, 3, 7, 1, 3, 7}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(rdfi[i]-'0') * w[i]
	}
	return byte('0' + (10-sum%10)%10)
}
