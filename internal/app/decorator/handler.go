// Package decorator wraps application handlers with the cross-cutting concerns every use case
// shares — tracing, logging, metrics and the DATA audit trail — so the handlers themselves hold
// only their use case. Commands and queries have the same shape, Handle(ctx, in) (out, error);
// they differ in what is wrapped around them.
package decorator

import (
	"context"
	"reflect"
	"strings"
	"unicode"
)

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

// ActionName is the snake_case name of a use case's input type (CreateUser → create_user), used
// as the audit action, the log message and the span and metric name.
func ActionName[In any]() string {
	name := reflect.TypeFor[In]().Name()
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
