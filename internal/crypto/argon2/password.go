// Package argon2 hashes and verifies passwords with argon2id, with a bound on how many
// hashes run at once so a login flood queues (then fails fast) instead of exhausting memory.
package argon2

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/alexedwards/argon2id"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/telemetry"
)

// instrumentation names this package's spans' tracer.
const instrumentation = "github.com/telemetryflow/core/internal/password"

// Config holds argon2id parameters and the concurrency bound.
type Config struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
	// Concurrency is the number of hashes computed at once; 0 means runtime.NumCPU().
	Concurrency int
	// QueueTimeout is how long a request waits for a slot before ErrBusy.
	QueueTimeout time.Duration
}

// OWASP's recommended argon2id baseline (m=19 MiB, t=2, p=1).
func DefaultConfig() Config {
	return Config{MemoryKiB: 19456, Iterations: 2, Parallelism: 1, QueueTimeout: 5 * time.Second}
}

// ErrBusy is returned when no hashing slot frees up within the queue timeout.
var ErrBusy = &errs.Error{Kind: errs.KindUnavailable, Code: "hashing_capacity_exhausted",
	Message: "The service is busy; try again shortly.", RetryAfter: time.Second}

// Hasher computes and checks argon2id hashes.
type Hasher struct {
	params  *argon2id.Params
	slots   chan struct{}
	timeout time.Duration
	// dummy is a real hash with the current parameters, verified against when the account does
	// not exist so that the response costs the same as for a real account.
	dummy string
}

// New validates cfg and prepares the dummy hash.
func New(cfg Config) (*Hasher, error) {
	if cfg.MemoryKiB < 8*1024 || cfg.Iterations < 1 || cfg.Parallelism < 1 {
		return nil, errors.New("password: argon2id parameters below the safe minimum (m>=8MiB, t>=1, p>=1)")
	}
	n := cfg.Concurrency
	if n <= 0 {
		n = runtime.NumCPU()
	}
	if cfg.QueueTimeout <= 0 {
		cfg.QueueTimeout = 5 * time.Second
	}
	h := &Hasher{
		params: &argon2id.Params{Memory: cfg.MemoryKiB, Iterations: cfg.Iterations,
			Parallelism: cfg.Parallelism, SaltLength: 16, KeyLength: 32},
		slots:   make(chan struct{}, n),
		timeout: cfg.QueueTimeout,
	}
	dummy, err := argon2id.CreateHash(randomString(), h.params)
	if err != nil {
		return nil, fmt.Errorf("password: prepare dummy hash: %w", err)
	}
	h.dummy = dummy
	return h, nil
}

// Hash returns the PHC-encoded argon2id hash of pw.
func (h *Hasher) Hash(ctx context.Context, pw string) (_ string, err error) {
	ctx, span := h.start(ctx, "password.Hash")
	defer func() { endSpan(span, err) }()
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return argon2id.CreateHash(pw, h.params)
}

// Verify reports whether pw matches encoded, and whether encoded should be re-hashed because
// it was made with other parameters. A malformed hash is an error, never a match.
func (h *Hasher) Verify(ctx context.Context, pw, encoded string) (match, rehash bool, err error) {
	ctx, span := h.start(ctx, "password.Verify")
	defer func() { endSpan(span, err) }()
	release, err := h.acquire(ctx)
	if err != nil {
		return false, false, err
	}
	defer release()
	match, params, err := argon2id.CheckHash(pw, encoded)
	if err != nil {
		return false, false, fmt.Errorf("password: stored hash unusable: %w", err)
	}
	return match, match && !h.sameParams(params), nil
}

// VerifyDummy spends the cost of one verification and always fails; used for unknown accounts
// so their timing matches real ones.
func (h *Hasher) VerifyDummy(ctx context.Context, pw string) error {
	_, _, err := h.Verify(ctx, pw, h.dummy)
	return err
}

func (h *Hasher) sameParams(p *argon2id.Params) bool {
	return p.Memory == h.params.Memory && p.Iterations == h.params.Iterations &&
		p.Parallelism == h.params.Parallelism && p.KeyLength == h.params.KeyLength &&
		p.SaltLength == h.params.SaltLength
}

// start opens a span carrying the cost parameters, which explain its duration.
func (h *Hasher) start(ctx context.Context, name string) (context.Context, trace.Span) {
	// Looked up per call rather than once, so a provider installed later (or replaced by a
	// test) is the one used; the lookup is trivial next to an argon2id hash.
	return telemetry.Tracer(instrumentation).Start(ctx, name, trace.WithAttributes(
		attribute.Int("argon2id.memory_kib", int(h.params.Memory)),
		attribute.Int("argon2id.iterations", int(h.params.Iterations)),
		attribute.Int("argon2id.parallelism", int(h.params.Parallelism)),
	))
}

func endSpan(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "password hashing failed")
	}
	span.End()
}

func (h *Hasher) acquire(ctx context.Context) (func(), error) {
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	default:
	}
	// Waiting for a slot is the interesting part of a slow login under load.
	trace.SpanFromContext(ctx).AddEvent("waiting for a hashing slot")
	t := time.NewTimer(h.timeout)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Generate returns a random password of 32 URL-safe characters (192 bits).
func Generate() string { return randomString() }

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // never fails: since Go 1.24 crypto/rand crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}
