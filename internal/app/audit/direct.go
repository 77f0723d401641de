package audit

import "context"

// Direct records each event by writing it to the sink before returning. It is correct (an
// event acknowledged is stored) but puts the store's latency on the request path; the
// buffered writer replaces it where that matters.
type Direct struct{ Sink Sink }

// Record writes e synchronously.
func (d Direct) Record(ctx context.Context, e Event) error {
	return d.Sink.Write(context.WithoutCancel(ctx), []Event{e})
}
