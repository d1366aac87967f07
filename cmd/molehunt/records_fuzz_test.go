package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"molehunt"
)

// drain runs a record reader over input and returns the records and error.
func drain(read func(context.Context, *strings.Reader, chan<- fileRecord) error, input string) ([]fileRecord, error) {
	ch := make(chan fileRecord)
	errc := make(chan error, 1)
	go func() {
		defer close(ch)
		errc <- read(context.Background(), strings.NewReader(input), ch)
	}()
	var recs []fileRecord
	for r := range ch {
		recs = append(recs, r)
	}
	return recs, <-errc
}

func csvReader(ctx context.Context, r *strings.Reader, out chan<- fileRecord) error {
	return readCSVRecords(ctx, r, "in.csv", out)
}

func jsonlReader(ctx context.Context, r *strings.Reader, out chan<- fileRecord) error {
	return readJSONLRecords(ctx, r, "in.jsonl", out)
}

// checkRecords asserts the readers' promises: every record either carries a
// query with a name or identifier, or its own RecordError; a failure of the
// whole file is a RecordError too.
func checkRecords(t *testing.T, recs []fileRecord, err error) {
	var re *molehunt.RecordError
	if err != nil && !errors.As(err, &re) {
		t.Fatalf("reader error %T %v; want *molehunt.RecordError", err, err)
	}
	for _, r := range recs {
		if r.err != nil {
			if !errors.As(r.err, &re) || re.Record == "" {
				t.Fatalf("record error %v; want a RecordError naming the record", r.err)
			}
			continue
		}
		if len(r.q.Names) == 0 && len(r.q.Identifiers) == 0 {
			t.Fatalf("record at line %d accepted without a name or identifier", r.line)
		}
	}
}

func FuzzReadCSVRecords(f *testing.F) {
	f.Add("name,dob\nKim Jong Un,1984\n")
	f.Add("id,name,type\n1,,person\n2,Acme LLC,company\n")
	f.Add("name\n\"unterminated\n")
	f.Add("\ufeffName;Country\nx;y\n")
	f.Fuzz(func(t *testing.T, input string) {
		recs, err := drain(csvReader, input)
		checkRecords(t, recs, err)
	})
}

func FuzzReadJSONLRecords(f *testing.F) {
	f.Add(`{"id": 1, "name": "Kim Jong Un", "type": "person"}` + "\n")
	f.Add(`{"names": ["a", "b"], "identifiers": ["x"]}` + "\n{bad\n")
	f.Add(`{"type": "martian", "name": "x"}`)
	f.Fuzz(func(t *testing.T, input string) {
		recs, err := drain(jsonlReader, input)
		checkRecords(t, recs, err)
	})
}

func TestReadCSVRecords(t *testing.T) {
	recs, err := drain(csvReader, "ID,Name,Type,DOB,Country,Identifiers\n7,Kim Jong Un,person,1984;1983,KP,P123;0xabc\n8,,company,,,\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records; want 2", len(recs))
	}
	q := recs[0].q
	if recs[0].key != "7" || recs[0].line != 2 || q.Type != molehunt.EntityPerson || len(q.BirthDates) != 2 || len(q.Identifiers) != 2 || q.Countries[0] != "KP" {
		t.Errorf("record 1: %+v", recs[0])
	}
	var re *molehunt.RecordError
	if !errors.As(recs[1].err, &re) || re.Record != "line 3" || re.Field != "Name" {
		t.Errorf("record 2 error %v; want line 3, field Name", recs[1].err)
	}
	if _, err := drain(csvReader, "who,what\nx,y\n"); !errors.As(err, &re) || re.Field != "header" {
		t.Errorf("no name column: %v; want a header RecordError", err)
	}
}
