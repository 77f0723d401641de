// Package decorator wraps application handlers with the cross-cutting concerns every use case
// shares — tracing, logging, metrics and the DATA audit trail — so the handlers themselves hold
// only their use case. Commands and queries have the same shape, Handle(ctx, in) (out, error);
// they differ in what is wrapped around them.
package decorator

import "context"

// Handler is one use case.
type Handler[In, Out any] interface {
	Handle(ctx context.Context, in In) (Out, error)
}

// CommandHandler changes state.
type CommandHandler[C, R any] = Handler[C, R]

// QueryHandler reads state.
type QueryHandler[Q, R any] = Handler[Q, R]

// Func adapts a function to Handler.
type Func[In, Out any] func(ctx context.Context, in In) (Out, error)

// Handle calls f.
func (f Func[In, Out]) Handle(ctx context.Context, in In) (Out, error) { return f(ctx, in) }
