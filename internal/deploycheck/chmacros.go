package deploycheck

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
)

// QueryRange is what Grafana sends with a panel's query: the time range and the interval it
// computed for the panel.
type QueryRange struct {
	From, To time.Time
	Interval time.Duration
}

// macro matches a macro name; arguments, if any, follow in parentheses.
var macro = regexp.MustCompile(`\$__([A-Za-z0-9_]+)`)

// ExpandClickHouseMacros rewrites the macros of the Grafana ClickHouse data source
// (grafana-clickhouse-datasource v4, pkg/macros) exactly as the plugin's backend does before
// the query reaches ClickHouse, so that the dashboards' SQL can be run on a real ClickHouse in
// tests. Times are rendered in UTC, as the plugin does in its container.
//
// Implemented (the plugin's documented output):
//
//	$__timeFilter(c)     c >= toDateTime(<from s>) AND c <= toDateTime(<to s>)
//	$__timeFilter_ms(c)  c >= fromUnixTimestamp64Milli(<from ms>) AND c <= fromUnixTimestamp64Milli(<to ms>)
//	$__dateFilter(c)     c >= toDate('<from day>') AND c <= toDate('<to day>')
//	$__fromTime, $__toTime          toDateTime(<s>)
//	$__fromTime_ms, $__toTime_ms    fromUnixTimestamp64Milli(<ms>)
//	$__timeInterval(c)   toStartOfInterval(toDateTime(c), INTERVAL <interval s, at least 1> second)
//	$__interval_s        <interval s, at least 1>
//
// Anything else, a missing or extra argument, or an unbalanced parenthesis is an error, so a
// dashboard cannot use a macro this check does not understand.
func ExpandClickHouseMacros(sql string, r QueryRange) (string, error) {
	from, to := r.From.UTC(), r.To.UTC()
	seconds := int(math.Max(r.Interval.Seconds(), 1))
	var out strings.Builder
	rest := sql
	for {
		loc := macro.FindStringSubmatchIndex(rest)
		if loc == nil {
			out.WriteString(rest)
			return out.String(), nil
		}
		out.WriteString(rest[:loc[0]])
		name := rest[loc[2]:loc[3]]
		rest = rest[loc[1]:]
		args, n, err := arguments(rest)
		if err != nil {
			return "", fmt.Errorf("$__%s: %w", name, err)
		}
		rest = rest[n:]
		want := 1
		var text string
		switch name {
		case "timeFilter":
			text = fmt.Sprintf("%s >= toDateTime(%d) AND %s <= toDateTime(%d)", arg(args, 0), from.Unix(), arg(args, 0), to.Unix())
		case "timeFilter_ms":
			text = fmt.Sprintf("%s >= fromUnixTimestamp64Milli(%d) AND %s <= fromUnixTimestamp64Milli(%d)", arg(args, 0), from.UnixMilli(), arg(args, 0), to.UnixMilli())
		case "dateFilter":
			text = fmt.Sprintf("%s >= toDate('%s') AND %s <= toDate('%s')", arg(args, 0), from.Format(time.DateOnly), arg(args, 0), to.Format(time.DateOnly))
		case "timeInterval":
			text = fmt.Sprintf("toStartOfInterval(toDateTime(%s), INTERVAL %d second)", arg(args, 0), seconds)
		case "fromTime", "toTime", "fromTime_ms", "toTime_ms", "interval_s":
			want = 0
			t := from
			if strings.HasPrefix(name, "to") {
				t = to
			}
			switch {
			case name == "interval_s":
				text = fmt.Sprint(seconds)
			case strings.HasSuffix(name, "_ms"):
				text = fmt.Sprintf("fromUnixTimestamp64Milli(%d)", t.UnixMilli())
			default:
				text = fmt.Sprintf("toDateTime(%d)", t.Unix())
			}
		default:
			return "", fmt.Errorf("$__%s: not a macro this check implements", name)
		}
		if len(args) != want {
			return "", fmt.Errorf("$__%s: %d arguments, want %d", name, len(args), want)
		}
		out.WriteString(text)
	}
}

func arg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// arguments reads a parenthesised, comma-separated argument list at the start of s (nested
// parentheses allowed) and returns the trimmed arguments and how many bytes it consumed. No
// parenthesis means no arguments.
func arguments(s string) ([]string, int, error) {
	if !strings.HasPrefix(s, "(") {
		return nil, 0, nil
	}
	depth, start := 0, 1
	var args []string
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				if a := strings.TrimSpace(s[start:i]); a != "" || len(args) > 0 {
					args = append(args, a)
				}
				return args, i + 1, nil
			}
		case ',':
			if depth == 1 {
				args = append(args, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return nil, 0, fmt.Errorf("unbalanced parenthesis in %q", s)
}
