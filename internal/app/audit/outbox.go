package audit

import (
	"context"
	"fmt"

	"github.com/telemetryflow/core/internal/domain/event"
)

// OutboxSubscriber stores the DATA rows committed commands wrote to the transactional outbox
// (event.CommandAudited) through the recorder. The row's id is the outbox event's id, so a
// redelivery (the process died after Record, before the outbox row was marked) writes the
// same id again and the stores keep one row. Other events are not its business.
type OutboxSubscriber struct{ Recorder Recorder }

// Handle records the row a CommandAudited event carries; a failure leaves the event pending,
// and the outbox poller delivers it again.
func (s OutboxSubscriber) Handle(ctx context.Context, env event.Envelope) error {
	a, ok := env.Event.(event.CommandAudited)
	if !ok {
		return nil
	}
	e, err := DecodeRow(a.Row, env.ID)
	if err != nil {
		return fmt.Errorf("audit row of %s: %w", a.Action, err)
	}
	return s.Recorder.Record(ctx, e)
}
