package store

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/go-faster/jx"
)

// jsonRow reads, field by field, a row the database packed into one text: SQLite's
// json_array(...) or PostgreSQL's json_build_array(...). One column instead of sixteen spares
// the drivers' per-column work on every query (modernc reads each column's name and declared
// type and boxes each value; pgx builds a scan function per column): forty to fifty
// allocations a read.
//
// Both write no whitespace but PostgreSQL's one space after each comma, and escape only what
// JSON requires, so a string without a backslash is handed back as a slice of the text (no
// copy); an escaped one goes through jx.
type jsonRow struct {
	s   string
	i   int
	err error
}

var errJSONRow = errors.New("not a json_array row")

func newJSONRow(s string) *jsonRow {
	r := &jsonRow{s: s, i: 1}
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		r.err = errJSONRow
	}
	return r
}

// str is the next field as a string; ok is false for null.
func (r *jsonRow) str() (v string, ok bool) {
	tok, quoted, escaped := r.token()
	switch {
	case r.err != nil:
		return "", false
	case !quoted:
		if tok != "null" {
			r.fail("a string")
		}
		return "", false
	case escaped:
		v, err := jx.DecodeStr(tok).Str()
		if err != nil {
			r.fail("a JSON string")
		}
		return v, err == nil
	}
	return tok[1 : len(tok)-1], true
}

// int is the next field as an integer (null is not one).
func (r *jsonRow) int() int {
	tok, quoted, _ := r.token()
	if r.err != nil {
		return 0
	}
	n, err := strconv.Atoi(tok)
	if quoted || err != nil {
		r.fail("an integer")
	}
	return n
}

// end reports the first error, or that fields were left unread.
func (r *jsonRow) end() error {
	if r.err == nil && r.i != len(r.s) {
		r.err = fmt.Errorf("%w: fields left after position %d", errJSONRow, r.i)
	}
	return r.err
}

// token consumes the next field and the comma or bracket after it. A quoted token keeps its
// quotes; escaped says it holds a backslash.
func (r *jsonRow) token() (tok string, quoted, escaped bool) {
	if r.err != nil {
		return "", false, false
	}
	start, j := r.i, r.i
	if j < len(r.s) && r.s[j] == '"' {
		quoted = true
		for j++; j < len(r.s) && r.s[j] != '"'; j++ {
			if r.s[j] == '\\' {
				escaped = true
				j++
			}
		}
		j++ // past the closing quote
	} else {
		for j < len(r.s) && r.s[j] != ',' && r.s[j] != ']' {
			j++
		}
	}
	if j >= len(r.s) || j == start || r.s[j] != ',' && r.s[j] != ']' || r.s[j] == ']' && j != len(r.s)-1 {
		r.err = fmt.Errorf("%w: field at position %d", errJSONRow, start)
		return "", false, false
	}
	r.i = j + 1
	if r.s[j] == ',' && r.i < len(r.s) && r.s[r.i] == ' ' {
		r.i++ // json_build_array's separator
	}
	return r.s[start:j], quoted, escaped
}

// fail names the field's position, never its text: a row holds a password hash.
func (r *jsonRow) fail(want string) {
	r.err = fmt.Errorf("%w: want %s before position %d", errJSONRow, want, r.i)
}
