package telemetry

import (
	"net/http"
	"testing"
)

// The carrier's shortcuts must be exactly net/http's canonical names, or a caller's trace
// context would go unread.
func TestHeaderCarrierReadsWhatHeaderCarrierReads(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	for _, k := range []string{"traceparent", "tracestate", "baggage", "x-other"} {
		h.Add(k, k+"-value")
		if c := canonicalName(k); c != http.CanonicalHeaderKey(k) {
			t.Errorf("%s: %q, want %q", k, c, http.CanonicalHeaderKey(k))
		}
		if got := (headerCarrier(h)).Get(k); got != k+"-value" {
			t.Errorf("Get(%s) = %q", k, got)
		}
		if got := (headerCarrier(h)).Values(k); len(got) != 1 || got[0] != k+"-value" {
			t.Errorf("Values(%s) = %q", k, got)
		}
	}
}
