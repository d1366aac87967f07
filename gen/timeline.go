package gen

import (
	"slices"
	"sort"
	"time"
)

// event time keys: records of one log are generated a local day at a time
// for everyone, held until no later day can produce an earlier record, and
// written in time order. Pending records span about two days, so memory
// follows the number of workers, not the length of the period.

// flushBefore is how far after a day's UTC midnight records of later days
// can start: local days begin at most 14 h before UTC midnight, and no one
// starts work before 06:30 local.
const flushBefore = 16 * time.Hour

type timed interface{ key() (int64, uint64) }

func sortTimed[T timed](xs []T) {
	slices.SortFunc(xs, func(a, b T) int {
		at, as := a.key()
		bt, bs := b.key()
		switch {
		case at < bt:
			return -1
		case at > bt:
			return 1
		case as < bs:
			return -1
		case as > bs:
			return 1
		}
		return 0
	})
}

func sortStrings(s []string) { sort.Strings(s) }

// localDay returns midnight of day d's calendar date in loc.
func localDay(d time.Time, loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }
