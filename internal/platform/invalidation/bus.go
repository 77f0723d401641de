// Package invalidation carries cache invalidations between replicas over Redis pub/sub, so a
// logout, revocation or role change made on one instance takes effect on every instance at
// once instead of after their cache TTLs.
package invalidation

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/telemetryflow/core/internal/platform/redisconn"
)

// Target is the local caches an invalidation applies to.
type Target interface {
	InvalidateUser(id uuid.UUID)      // a user's sessions and authorization subject
	InvalidateSession(id uuid.UUID)   // one session
	InvalidateAll()                   // every cached authorization subject
	InvalidatePermissions()           // the permission catalog (and with it every subject)
	InvalidateWorkspace(id uuid.UUID) // a deleted workspace
	// InvalidateAllSessions drops every cached session and authorization subject: an
	// organization, tenant or region changed, which reaches users nobody has counted.
	InvalidateAllSessions()
	InvalidateEverything() // all of the above, after missing messages
}

// Kinds of message.
const (
	KindUser        = "user"
	KindSession     = "session"
	KindAll         = "all"
	KindPermissions = "permissions"
	KindWorkspace   = "workspace"
	KindSessions    = "sessions"
)

// Message is one invalidation on the wire.
type Message struct {
	Origin string    `json:"o"`
	Kind   string    `json:"k"`
	ID     uuid.UUID `json:"id,omitzero"`
}

// Config names the Redis server and channel, and the local caches other instances'
// invalidations apply to.
type Config struct {
	URL     string // redis://[:password@]host:port/db
	Channel string
	Target  Target
	Log     *slog.Logger
}

// Validate reports a URL that is not redis://, a missing channel or a missing target.
func (c Config) Validate() error {
	var problems []error
	if _, err := redis.ParseURL(c.URL); err != nil {
		problems = append(problems, errors.New("invalidation: TF_REDIS_URL is not a redis:// URL"))
	}
	if c.Channel == "" {
		problems = append(problems, errors.New("invalidation: a channel is required"))
	}
	if c.Target == nil {
		problems = append(problems, errors.New("invalidation: a target is required"))
	}
	return errors.Join(problems...)
}

// Bus publishes this instance's invalidations and applies other instances'.
type Bus struct {
	client  *redis.Client
	channel string
	origin  string
	target  Target
	log     *slog.Logger

	published, received, failed atomic.Uint64
	subscribed                  chan struct{}
	once                        sync.Once
	// down is set while Redis does not answer (Guard): invalidations from other instances
	// cannot arrive, so nothing cached may be trusted.
	down atomic.Bool
}

// New connects (and pings) but does not subscribe; call Run for that.
func New(ctx context.Context, cfg Config) (*Bus, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	c, err := redisconn.Dial(ctx, cfg.URL)
	if err != nil {
		return nil, errors.New("invalidation: " + err.Error())
	}
	return &Bus{client: c, channel: cfg.Channel, origin: redisconn.Origin(), target: cfg.Target, log: cfg.Log,
		subscribed: make(chan struct{})}, nil
}

// Publish tells the other instances. A failure is logged and counted, never returned: the
// local change stands, and the TTLs bound how long other instances can miss it.
func (b *Bus) Publish(ctx context.Context, kind string, id uuid.UUID) {
	raw, _ := json.Marshal(Message{Origin: b.origin, Kind: kind, ID: id})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	if err := b.client.Publish(pctx, b.channel, raw).Err(); err != nil {
		b.failed.Add(1)
		b.log.WarnContext(ctx, "cache invalidation not broadcast", "kind", kind, "error", err)
		return
	}
	b.published.Add(1)
}

// Run applies other instances' invalidations until ctx ends. Each (re)subscription clears
// every local cache first: messages sent while this instance was not listening are lost.
// go-redis reconnects and resubscribes on its own; the channel reports each subscription.
func (b *Bus) Run(ctx context.Context) {
	sub := b.client.Subscribe(ctx, b.channel)
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		// Closing the subscription is what ends a blocked receive; cancelling ctx alone does not.
		select {
		case <-ctx.Done():
		case <-stopped:
		}
		_ = sub.Close()
	}()
	for m := range sub.ChannelWithSubscriptions(redis.WithChannelSize(1024)) {
		switch v := m.(type) {
		case *redis.Subscription:
			if v.Kind == "subscribe" {
				b.target.InvalidateEverything()
				b.once.Do(func() { close(b.subscribed) })
			}
		case *redis.Message:
			b.apply(v.Payload)
		}
	}
}

func (b *Bus) apply(payload string) {
	var m Message
	if err := json.Unmarshal([]byte(payload), &m); err != nil || m.Origin == b.origin {
		return
	}
	b.received.Add(1)
	invalidate(b.target, m.Kind, m.ID)
}

// invalidate calls the Target method a kind of message names: the one mapping between kinds
// and methods, for the messages received and for Broadcast's own changes alike.
func invalidate(t Target, kind string, id uuid.UUID) {
	switch kind {
	case KindUser:
		t.InvalidateUser(id)
	case KindSession:
		t.InvalidateSession(id)
	case KindAll:
		t.InvalidateAll()
	case KindPermissions:
		t.InvalidatePermissions()
	case KindWorkspace:
		t.InvalidateWorkspace(id)
	case KindSessions:
		t.InvalidateAllSessions()
	default:
		// Unknown kinds come from newer versions: the safe reading is "something changed".
		t.InvalidateEverything()
	}
}

// Subscribed is closed once the first subscription is in place.
func (b *Bus) Subscribed() <-chan struct{} { return b.subscribed }

// Ping checks Redis (readiness).
func (b *Bus) Ping(ctx context.Context) error { return b.client.Ping(ctx).Err() }

// Guard pings Redis every period until ctx ends. While Redis does not answer, no other
// instance's invalidation can reach this one, so every period it drops every local cache:
// a revocation made elsewhere then takes effect here within about a period (each request
// reads the database instead of the cache), and the service can keep serving through a Redis
// outage instead of failing readiness on every replica at once. The resubscription that
// follows the outage drops the caches once more (Run).
func (b *Bus) Guard(ctx context.Context, period time.Duration) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		pctx, cancel := context.WithTimeout(ctx, period)
		err := b.client.Ping(pctx).Err()
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			if !b.down.Swap(true) {
				b.log.Warn("cache invalidation channel unavailable: caches are dropped every period until Redis answers",
					"period", period, "error", err)
			}
			b.target.InvalidateEverything()
		case err == nil && b.down.Swap(false):
			b.log.Info("cache invalidation channel restored")
		}
	}
}

// Down reports whether Redis did not answer Guard's last ping.
func (b *Bus) Down() bool { return b.down.Load() }

// Close disconnects.
func (b *Bus) Close() error { return b.client.Close() }

// Stats are the counters, for metrics.
func (b *Bus) Stats() (published, received, failed uint64) {
	return b.published.Load(), b.received.Load(), b.failed.Load()
}

// Broadcast applies each invalidation locally, then tells the other instances.
type Broadcast struct {
	Local Target
	Bus   *Bus
}

var _ Target = Broadcast{}

func (b Broadcast) InvalidateUser(id uuid.UUID)      { b.send(KindUser, id) }
func (b Broadcast) InvalidateSession(id uuid.UUID)   { b.send(KindSession, id) }
func (b Broadcast) InvalidateAll()                   { b.send(KindAll, uuid.Nil) }
func (b Broadcast) InvalidatePermissions()           { b.send(KindPermissions, uuid.Nil) }
func (b Broadcast) InvalidateWorkspace(id uuid.UUID) { b.send(KindWorkspace, id) }
func (b Broadcast) InvalidateAllSessions()           { b.send(KindSessions, uuid.Nil) }

func (b Broadcast) send(kind string, id uuid.UUID) {
	invalidate(b.Local, kind, id)
	b.Bus.Publish(context.Background(), kind, id)
}

// InvalidateEverything is local only: it answers this instance's own gap in the stream.
func (b Broadcast) InvalidateEverything() { b.Local.InvalidateEverything() }
