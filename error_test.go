package molehunt_test

import (
	"errors"
	"fmt"
	"testing"

	"molehunt"
)

func TestErrorCodeOf(t *testing.T) {
	rec := &molehunt.RecordError{File: "sdn.csv", Record: "line 3", Field: "ent_num", Err: errors.New("not a number")}
	for _, tc := range []struct {
		name     string
		err      error
		wantCode molehunt.ErrorCode
		wantMsg  string
	}{
		{"nil", nil, "", ""},
		{"plain", errors.New("boom"), molehunt.EInternal, "internal error"},
		{"coded", molehunt.Errorf(molehunt.ENotFound, "get", "no case %d", 7), molehunt.ENotFound, "no case 7"},
		{"wrapped coded", fmt.Errorf("outer: %w", molehunt.Errorf(molehunt.EConflict, "op", "taken")), molehunt.EConflict, "taken"},
		{"record error", fmt.Errorf("load: %w", rec), molehunt.EInvalid, "sdn.csv: line 3: field ent_num: not a number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := molehunt.ErrorCodeOf(tc.err); got != tc.wantCode {
				t.Errorf("ErrorCodeOf = %q; want %q", got, tc.wantCode)
			}
			if tc.err != nil {
				if got := molehunt.ErrorMessageOf(tc.err); got != tc.wantMsg {
					t.Errorf("ErrorMessageOf = %q; want %q", got, tc.wantMsg)
				}
			}
		})
	}
}
