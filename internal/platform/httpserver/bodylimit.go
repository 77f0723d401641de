package httpserver

import (
	"net/http"
	"strconv"

	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// codeBodyTooLarge is the same stable code the API's error mapping gives a body cut short.
const codeBodyTooLarge = "body_too_large"

// DefaultMaxBodyBytes caps a request body when Routes.BodyLimit is not set.
const DefaultMaxBodyBytes = 1 << 20

// limitBodies caps every request body before anything decodes it, by the limit of the operation
// serving the request (named by nameRoute). A declared length over the cap is refused with 413
// before a byte is read (the server then closes the connection rather than drain the rest); a
// chunked or understated body is cut at the cap by http.MaxBytesReader, whose error the API's
// error mapping turns into the same 413.
func (rt Routes) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		limit := int64(DefaultMaxBodyBytes)
		if rt.BodyLimit != nil {
			limit = rt.BodyLimit(reqinfo.From(r.Context()).Operation)
		}
		if r.ContentLength > limit {
			rt.Problem(w, r, http.StatusRequestEntityTooLarge, codeBodyTooLarge,
				"The request body exceeds the limit of "+strconv.FormatInt(limit, 10)+" bytes for this operation.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}
