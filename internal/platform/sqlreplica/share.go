package sqlreplica

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/telemetryflow/core/internal/platform/redisconn"
)

// Sharer carries each caller's write positions between backends over Redis pub/sub, so that a
// caller whose next request reaches another backend (a load balancer without stickiness) still
// reads its own write there. Delivery takes about a millisecond; the caller's next request has
// to cross the network twice first.
type Sharer struct {
	router     *Router
	client     *redis.Client
	channel    string
	origin     string
	subscribed chan struct{}
}

type writeMessage struct {
	Origin string `json:"o"`
	Caller string `json:"c"`
	LSN    uint64 `json:"l"`
}

// Share connects the router to Redis (url, channel); Run subscribes.
func (r *Router) Share(ctx context.Context, url, channel string) (*Sharer, error) {
	c, err := redisconn.Dial(ctx, url)
	if err != nil {
		return nil, errors.New("sqlreplica: " + err.Error())
	}
	s := &Sharer{router: r, client: c, channel: channel, origin: redisconn.Origin(), subscribed: make(chan struct{})}
	r.mu.Lock()
	r.share = s.publish
	r.mu.Unlock()
	return s, nil
}

// publish tells the other backends; a failure is logged, never returned: the write stands and
// its caller reads it on this backend.
func (s *Sharer) publish(ctx context.Context, caller string, lsn uint64) {
	raw, _ := json.Marshal(writeMessage{Origin: s.origin, Caller: caller, LSN: lsn})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	if err := s.client.Publish(pctx, s.channel, raw).Err(); err != nil {
		s.router.cfg.Log.WarnContext(ctx, "write position not shared with the other backends", "error", err)
	}
}

// Run applies the other backends' write positions until ctx ends.
func (s *Sharer) Run(ctx context.Context) {
	sub := s.client.Subscribe(ctx, s.channel)
	go func() {
		<-ctx.Done()
		_ = sub.Close() // ends the blocked receive
	}()
	first := true
	for m := range sub.ChannelWithSubscriptions(redis.WithChannelSize(1024)) {
		switch v := m.(type) {
		case *redis.Subscription:
			if v.Kind == "subscribe" && first {
				first = false
				close(s.subscribed)
			}
		case *redis.Message:
			var w writeMessage
			if json.Unmarshal([]byte(v.Payload), &w) != nil || w.Origin == s.origin || w.Caller == "" {
				continue
			}
			s.router.noteWrite(w.Caller, w.LSN)
		}
	}
}

// Subscribed is closed once the subscription is in place.
func (s *Sharer) Subscribed() <-chan struct{} { return s.subscribed }

// Close disconnects.
func (s *Sharer) Close() error { return s.client.Close() }
