package deploycheck_test

import (
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/deploycheck"
)

// The expansions are the ones the plugin documents (its README's "Output example" column, with
// the same instants), so the dashboard check runs what Grafana would send.
func TestExpandClickHouseMacros(t *testing.T) {
	r := deploycheck.QueryRange{
		From: time.Unix(1415792726, 123e6), To: time.Unix(1447328726, 456e6), Interval: 20 * time.Second,
	}
	cases := []struct{ in, out, err string }{
		{in: "WHERE $__timeFilter(time)", out: "WHERE time >= toDateTime(1415792726) AND time <= toDateTime(1447328726)"},
		{in: "$__timeFilter_ms(time)", out: "time >= fromUnixTimestamp64Milli(1415792726123) AND time <= fromUnixTimestamp64Milli(1447328726456)"},
		{in: "$__dateFilter(date)", out: "date >= toDate('2014-11-12') AND date <= toDate('2015-11-12')"},
		{in: "$__fromTime, $__toTime", out: "toDateTime(1415792726), toDateTime(1447328726)"},
		{in: "$__fromTime_ms $__toTime_ms", out: "fromUnixTimestamp64Milli(1415792726123) fromUnixTimestamp64Milli(1447328726456)"},
		{in: "$__timeInterval( column )", out: "toStartOfInterval(toDateTime(column), INTERVAL 20 second)"},
		{in: "count() / $__interval_s", out: "count() / 20"},
		{in: "$__timeFilter(toDateTime(ts, 'UTC')) AND x", out: "toDateTime(ts, 'UTC') >= toDateTime(1415792726) AND toDateTime(ts, 'UTC') <= toDateTime(1447328726) AND x"},
		{in: "SELECT 1", out: "SELECT 1"},
		{in: "$__timeFilter", err: "0 arguments, want 1"},
		{in: "$__timeFilter(a, b)", err: "2 arguments, want 1"},
		{in: "$__fromTime(a)", err: "1 arguments, want 0"},
		{in: "$__timeFilter(a", err: "unbalanced"},
		{in: "$__conditionalAll(a, $v)", err: "not a macro this check implements"},
		{in: "$__timeGroup(ts, 1h)", err: "not a macro this check implements"},
	}
	for _, c := range cases {
		got, err := deploycheck.ExpandClickHouseMacros(c.in, r)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: got %q, %v; want an error containing %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.out {
			t.Errorf("%q:\n got %q, %v\nwant %q", c.in, got, err, c.out)
		}
	}
	// Grafana never sends an interval under a second to the plugin's macros: at least 1.
	if got, _ := deploycheck.ExpandClickHouseMacros("$__interval_s", deploycheck.QueryRange{Interval: 10 * time.Millisecond}); got != "1" {
		t.Errorf("sub-second interval: %q", got)
	}
}
