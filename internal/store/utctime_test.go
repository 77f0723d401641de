package store

import (
	"testing"
	"time"
)

func TestUTCTimeParse(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 30, 13, 4, 5, 123456789, time.UTC)
	for _, c := range []struct {
		name  string
		in    string
		want  time.Time
		fails bool
	}{
		{"sqlite text, UTC", "2026-11-30 13:04:05.123456789+00:00", want, false},
		{"sqlite text, other offset", "2026-11-30 15:04:05.123456789+02:00", want, false},
		{"sqlite text, whole seconds", "2026-11-30 13:04:05+00:00", want.Truncate(time.Second), false},
		{"postgres json, UTC", "2026-11-30T13:04:05.123456+00:00", want.Truncate(time.Microsecond), false},
		{"postgres json, other offset", "2026-11-30T08:04:05.123456-05:00", want.Truncate(time.Microsecond), false},
		{"postgres json, whole seconds", "2026-11-30T13:04:05+00:00", want.Truncate(time.Second), false},
		{"not a time", "yesterday", time.Time{}, true},
		{"no offset", "2026-11-30T13:04:05", time.Time{}, true},
		{"empty", "", time.Time{}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var u utcTime
			err := u.parse(c.in)
			if (err != nil) != c.fails {
				t.Fatalf("err %v", err)
			}
			if u.valid == c.fails || !u.t.Equal(c.want) || !c.fails && u.t.Location() != time.UTC {
				t.Fatalf("got %v (valid %v), want %v", u.t, u.valid, c.want)
			}
		})
	}
}
