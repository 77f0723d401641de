package httpapi

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ogen-go/ogen/middleware"

	"github.com/telemetryflow/core/internal/domain/errs"
)

// CodeInvalidText is the stable code of a 400 for a string holding a NUL or invalid UTF-8.
const CodeInvalidText = "invalid_text"

// CleanInput is an ogen middleware that refuses, with a 400 naming each field, any decoded
// string (path or query parameter, or anywhere in the body) holding a NUL character or
// invalid UTF-8. A raw-byte scan would not do: the JSON escape \u0000 decodes into a NUL, and
// percent-encoding carries any byte into a parameter. PostgreSQL cannot store either, so
// without this a stray byte would surface as a 500 there (and as silently different data on
// SQLite). Lone UTF-16 surrogate escapes (\ud800) never get here: the JSON decoder replaces
// them with U+FFFD, as Go's encoding/json does, so they arrive as valid text.
func CleanInput(req middleware.Request, next middleware.Next) (middleware.Response, error) {
	var bad []errs.FieldError
	for k, v := range req.Params {
		checkText(k.Name, reflect.ValueOf(v), &bad)
	}
	checkText("", reflect.ValueOf(req.Body), &bad)
	if len(bad) > 0 {
		sort.Slice(bad, func(i, j int) bool { return bad[i].Field < bad[j].Field })
		return middleware.Response{}, &errs.Error{Kind: errs.KindInvalid, Code: CodeInvalidText,
			Message: "Text must be valid UTF-8 without NUL characters.", Fields: bad}
	}
	return next(req)
}

// checkText walks v (generated request types: structs with json tags, ogen's Opt wrappers,
// slices, maps) and appends a field error for every bad string, named by its JSON path.
func checkText(path string, v reflect.Value, bad *[]errs.FieldError) {
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		switch {
		case !utf8.ValidString(s):
			*bad = append(*bad, errs.FieldError{Field: fieldName(path), Message: "is not valid UTF-8"})
		case strings.IndexByte(s, 0) >= 0:
			*bad = append(*bad, errs.FieldError{Field: fieldName(path), Message: "must not contain NUL characters"})
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkText(path, v.Elem(), bad)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			// ogen's Opt and Nil wrappers hold the value in an untagged field: it keeps the
			// wrapper's name.
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			checkText(join(path, name), v.Field(i), bad)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes (uuid.UUID), not text
		}
		for i := range v.Len() {
			checkText(path+"["+strconv.Itoa(i)+"]", v.Index(i), bad)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			key, name, before := iter.Key(), iter.Key().String(), len(*bad)
			checkText(path, key, bad)
			if len(*bad) > before {
				name = "?" // never echo a bad key into the response
			}
			checkText(join(path, name), iter.Value(), bad)
		}
	}
}

func join(path, name string) string {
	switch {
	case name == "":
		return path
	case path == "":
		return name
	default:
		return path + "." + name
	}
}

func fieldName(path string) string {
	if path == "" {
		return "body"
	}
	return path
}
