package store

import (
	"testing"
	"time"
)

func TestUTCTimeScan(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 30, 13, 4, 5, 123456789, time.UTC)
	for _, c := range []struct {
		name  string
		in    any
		want  time.Time
		valid bool
		fails bool
	}{
		{"null", nil, time.Time{}, false, false},
		{"driver time in another zone", want.In(time.FixedZone("X", 2*3600)), want, true, false},
		{"sqlite text, UTC", "2026-11-30 13:04:05.123456789+00:00", want, true, false},
		{"sqlite text, other offset", "2026-11-30 15:04:05.123456789+02:00", want, true, false},
		{"sqlite text, whole seconds", "2026-11-30 13:04:05+00:00", want.Truncate(time.Second), true, false},
		{"not a time", "yesterday", time.Time{}, false, true},
		{"not text", int64(1764507845), time.Time{}, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var u utcTime
			err := u.Scan(c.in)
			if (err != nil) != c.fails {
				t.Fatalf("err %v", err)
			}
			if u.valid != c.valid || !u.t.Equal(c.want) || c.valid && u.t.Location() != time.UTC {
				t.Fatalf("got %v (valid %v), want %v (valid %v)", u.t, u.valid, c.want, c.valid)
			}
		})
	}
}
