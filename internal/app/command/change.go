package command

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// The skeleton every command shares: resolve the caller, then make the change in one unit of
// work, so the change, its domain events and its audit row commit together or not at all.
// The use case itself is the function each command passes in.

// change resolves the caller and runs fn in one unit of work. It answers fn's result, or the
// zero value when anything failed (the audit row then names no entity that does not exist).
func change[R any](ctx context.Context, d Deps, fn func(ctx context.Context, a *actor.Actor, tx port.Tx) (R, error)) (R, error) {
	a, err := d.Actors.Resolve(ctx)
	if err != nil {
		var zero R
		return zero, err
	}
	return inTx(ctx, d, func(ctx context.Context, tx port.Tx) (R, error) { return fn(ctx, a, tx) })
}

// act is change for the commands that answer nothing but success.
func act(ctx context.Context, d Deps, fn func(ctx context.Context, a *actor.Actor, tx port.Tx) error) (Done, error) {
	return change(ctx, d, func(ctx context.Context, a *actor.Actor, tx port.Tx) (Done, error) {
		return Done{}, fn(ctx, a, tx)
	})
}

// inTx runs fn in one unit of work, for the commands that resolve the caller and do their slow
// or purely in-memory part (validation, password hashing) before the transaction.
func inTx[R any](ctx context.Context, d Deps, fn func(ctx context.Context, tx port.Tx) (R, error)) (R, error) {
	var out R
	err := d.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		var err error
		out, err = fn(ctx, tx)
		return err
	})
	if err != nil {
		var zero R
		return zero, err
	}
	return out, nil
}

// created stores the new v and emits ev, which announces it, in the same transaction.
func created[T any](ctx context.Context, tx port.Tx, repo port.Writer[T], v *T, ev event.Event) (*T, error) {
	return stored(tx, v, repo.Create(ctx, v), ev)
}

// updated stores the changed v and emits ev, which announces the change, in the same
// transaction.
func updated[T any](ctx context.Context, tx port.Tx, repo port.Writer[T], v *T, ev event.Event) (*T, error) {
	return stored(tx, v, repo.Update(ctx, v), ev)
}

// stored answers v and emits ev once the store accepted v (err is its answer).
func stored[P any](tx port.Tx, v P, err error, ev event.Event) (P, error) {
	if err != nil {
		var zero P
		return zero, err
	}
	tx.Emit(ev)
	return v, nil
}

// deleteUnreferenced soft-deletes the entity with the id once nothing live references it —
// refs counts what does (its children, or its holders), and resource names it when the
// delete is refused — and emits ev, which announces the delete.
func deleteUnreferenced(ctx context.Context, tx port.Tx, repo port.Deleter, refs func(context.Context, uuid.UUID) (iam.Children, error),
	resource string, id uuid.UUID, at time.Time, ev event.Event,
) error {
	children, err := refs(ctx, id)
	if err != nil {
		return err
	}
	if err := iam.CheckNoChildren(resource, children); err != nil {
		return err
	}
	return deleted(ctx, tx, repo, id, at, ev)
}

// deleted soft-deletes the entity with the id and emits ev, which announces it.
func deleted(ctx context.Context, tx port.Tx, repo port.Deleter, id uuid.UUID, at time.Time, ev event.Event) error {
	if err := repo.Delete(ctx, id, at); err != nil {
		return err
	}
	tx.Emit(ev)
	return nil
}
