package httpobs

import (
	"net/http"
	"time"
)

// observed is what the middleware learns of one response.
type observed struct {
	Code     int
	Duration time.Duration
	Written  int64
}

// recorder notes the status and the bytes written: one allocation per request, where
// httpsnoop's generic wrapper took eight. It keeps what the service's handlers use: Flush
// (streamed audit exports) and Unwrap, through which http.ResponseController reaches the
// connection's other abilities (deadlines, hijacking). io.ReaderFrom is not forwarded: a
// copy into the response falls back to Write, which costs nothing the API notices.
type recorder struct {
	http.ResponseWriter
	code        int
	written     int64
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	// Informational answers (1xx) precede the final status, which is the one to report.
	if !r.wroteHeader && code >= 200 {
		r.code, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	n, err := r.ResponseWriter.Write(b)
	r.written += int64(n)
	return n, err
}

// Flush sends what is buffered, when the underlying writer can.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		r.wroteHeader = true
		f.Flush()
	}
}

// Unwrap is for http.ResponseController.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
