package sqldb

import (
	"strconv"
	"strings"

	"entgo.io/ent/dialect"
)

// Rebind turns ? placeholders into PostgreSQL's $n, so hand-written SQL is written once for
// both dialects. It does not look inside string literals: queries pass values as arguments.
func Rebind(dia, q string) string {
	if dia != dialect.Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
