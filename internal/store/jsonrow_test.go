package store

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestJSONRow(t *testing.T) {
	t.Parallel()
	type field struct {
		str   string
		ok    bool
		num   int
		isInt bool
	}
	s := func(v string) field { return field{str: v, ok: true} }
	null := field{}
	n := func(v int) field { return field{num: v, isInt: true} }
	for _, c := range []struct {
		name   string
		in     string
		fields []field
		fails  bool
	}{
		{"strings, null, number", `["a",null,-12,"b c"]`, []field{s("a"), null, n(-12), s("b c")}, false},
		{"escapes", `["q\"b\\s\n\u00e9\ud83d\ude00\/"]`, []field{s("q\"b\\s\né😀/")}, false},
		{"raw UTF-8 and brackets inside a string", `["Ünal, [x]"]`, []field{s("Ünal, [x]")}, false},
		{"empty string", `[""]`, []field{s("")}, false},
		{"fields left over", `["a","b"]`, []field{s("a")}, true},
		{"too few fields", `["a"]`, []field{s("a"), s("b")}, true},
		{"a number where a string is wanted", `[1]`, []field{s("1")}, true},
		{"a string where a number is wanted", `["1"]`, []field{n(1)}, true},
		{"null is not a number", `[null]`, []field{n(0)}, true},
		{"unterminated string", `["a]`, []field{s("a]")}, true},
		{"bad escape", `["\x"]`, []field{s("x")}, true},
		{"not an array", `"a"`, []field{s("a")}, true},
		{"empty array", `[]`, []field{s("")}, true},
		{"empty input", ``, []field{s("")}, true},
		{"json_build_array's separator", `["a", null, 3]`, []field{s("a"), null, n(3)}, false},
		{"whitespace neither writes", `[ "a"]`, []field{s("a")}, true},
		{"two spaces", `["a",  "b"]`, []field{s("a"), s("b")}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newJSONRow(c.in)
			for i, f := range c.fields {
				if f.isInt {
					if got := r.int(); r.err == nil && got != f.num {
						t.Fatalf("field %d: %d, want %d", i, got, f.num)
					}
					continue
				}
				if got, ok := r.str(); r.err == nil && (got != f.str || ok != f.ok) {
					t.Fatalf("field %d: %q (%v), want %q (%v)", i, got, ok, f.str, f.ok)
				}
			}
			err := r.end()
			if (err != nil) != c.fails || err != nil && !errors.Is(err, errJSONRow) {
				t.Fatalf("end: %v, want failure %v", err, c.fails)
			}
		})
	}
}

// FuzzJSONRow reads back what a JSON encoder wrote (any strings, a null, any integer) and
// never panics on arbitrary text.
func FuzzJSONRow(f *testing.F) {
	f.Add("a", `q"\`, 7, `["a",null,1]`)
	f.Add("Ünal \u2028 <b>", "\x00\xff", -1<<62, `["\u00`)
	f.Fuzz(func(t *testing.T, a, b string, n int, raw string) {
		packed, err := json.Marshal([]any{a, nil, n, b})
		if err != nil {
			t.Fatal(err)
		}
		var want []any // what a decoder makes of it (invalid UTF-8 became U+FFFD)
		if err := json.Unmarshal(packed, &want); err != nil {
			t.Fatal(err)
		}
		r := newJSONRow(string(packed))
		gotA, okA := r.str()
		_, okNull := r.str()
		gotN := r.int()
		gotB, okB := r.str()
		if err := r.end(); err != nil {
			t.Fatalf("%s: %v", packed, err)
		}
		if gotA != want[0] || !okA || okNull || gotN != n || gotB != want[3] || !okB {
			t.Fatalf("%s: read %q %v %d %q", packed, gotA, okNull, gotN, gotB)
		}
		r = newJSONRow(raw)
		for range 4 {
			r.str()
			r.int()
		}
		_ = r.end()
	})
}
