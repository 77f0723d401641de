package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/outboxevent"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
)

// appendOutbox writes events to the outbox table in the caller's transaction and returns them
// with their identities.
func appendOutbox(ctx context.Context, c *ent.Client, events []event.Event, now time.Time) ([]event.Envelope, error) {
	if len(events) == 0 {
		return nil, nil
	}
	envs := make([]event.Envelope, 0, len(events))
	rows := make([]*ent.OutboxEventCreate, 0, len(events))
	for _, e := range events {
		env := event.Wrap(e, now)
		payload, err := event.Encode(e)
		if err != nil {
			return nil, err
		}
		m := e.Meta()
		rows = append(rows, c.OutboxEvent.Create().SetID(env.ID).SetEventType(m.Name).SetEventVersion(m.Version).
			SetAggregateType(m.AggregateType).SetAggregateID(m.AggregateID).SetPayload(payload).SetOccurredAt(env.OccurredAt))
		envs = append(envs, env)
	}
	return envs, c.OutboxEvent.CreateBulk(rows...).Exec(ctx)
}

// Outbox is the outbox table as the dispatcher sees it (internal/platform/outbox.Store).
type Outbox struct{ c *ent.Client }

// Outbox returns the store's outbox table.
func (s *Store) Outbox() *Outbox { return &Outbox{c: s.client} }

// Pending returns up to limit undispatched events that occurred at or before until and have
// been tried fewer than maxAttempts times, oldest first. An event that no longer decodes
// (unknown type or version) is parked at maxAttempts with the reason, so it stops blocking
// the queue and stays visible to operators.
func (o *Outbox) Pending(ctx context.Context, until time.Time, maxAttempts, limit int) ([]event.Envelope, error) {
	rows, err := o.c.OutboxEvent.Query().
		Where(outboxevent.DispatchedAtIsNil(), outboxevent.OccurredAtLTE(until), outboxevent.AttemptsLT(maxAttempts)).
		Order(ent.Asc(outboxevent.FieldOccurredAt), ent.Asc(outboxevent.FieldID)).Limit(limit).All(ctx)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]event.Envelope, 0, len(rows))
	for _, r := range rows {
		e, err := event.Decode(r.EventType, r.EventVersion, r.Payload)
		if err != nil {
			if perr := o.c.OutboxEvent.UpdateOneID(r.ID).SetAttempts(maxAttempts).SetLastError(truncate(err.Error())).Exec(ctx); perr != nil {
				return nil, errs.Internal(perr)
			}
			continue
		}
		out = append(out, event.Envelope{ID: r.ID, OccurredAt: r.OccurredAt.UTC(), Event: e})
	}
	return out, nil
}

// MarkDispatched records that every subscriber has handled the event.
func (o *Outbox) MarkDispatched(ctx context.Context, id uuid.UUID, at time.Time) error {
	err := o.c.OutboxEvent.Update().Where(outboxevent.IDEQ(id), outboxevent.DispatchedAtIsNil()).
		SetDispatchedAt(at.UTC()).AddAttempts(1).Exec(ctx)
	if err != nil {
		return errs.Internal(fmt.Errorf("mark dispatched %s: %w", id, err))
	}
	return nil
}

// MarkFailed counts a failed delivery and keeps the reason; the event stays pending.
func (o *Outbox) MarkFailed(ctx context.Context, id uuid.UUID, cause string) error {
	err := o.c.OutboxEvent.Update().Where(outboxevent.IDEQ(id), outboxevent.DispatchedAtIsNil()).
		AddAttempts(1).SetLastError(truncate(cause)).Exec(ctx)
	if err != nil {
		return errs.Internal(fmt.Errorf("mark failed %s: %w", id, err))
	}
	return nil
}

// Purge deletes events dispatched before the given moment and says how many; undispatched
// events are never purged.
func (o *Outbox) Purge(ctx context.Context, before time.Time) (int, error) {
	n, err := o.c.OutboxEvent.Delete().Where(outboxevent.DispatchedAtNotNil(), outboxevent.DispatchedAtLT(before.UTC())).Exec(ctx)
	if err != nil {
		return 0, errs.Internal(fmt.Errorf("purge outbox: %w", err))
	}
	return n, nil
}

// Dispatched reports whether the event has been delivered (tests and diagnostics).
func (o *Outbox) Dispatched(ctx context.Context, id uuid.UUID) (bool, error) {
	n, err := o.c.OutboxEvent.Query().Where(outboxevent.IDEQ(id), outboxevent.DispatchedAtNotNil()).Count(ctx)
	return n > 0, err
}

func truncate(s string) string {
	const limit = 2000 // the column's length
	if len(s) > limit {
		return s[:limit]
	}
	return s
}
