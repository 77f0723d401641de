package auditsql

import (
	"strings"
	"unicode/utf8"
)

// clean makes a string storable as SQL text: PostgreSQL refuses NUL bytes and invalid UTF-8
// (a user agent header may carry either), and one refused row would fail its whole batch
// again on every retry. Filters are cleaned the same way, so the value a caller sees is the
// value they can filter on. Both dialects do it, so both return the same data.
func clean(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
