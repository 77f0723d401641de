// Package redisconn opens the connection to the Redis server that the instances of one
// deployment share (TF_REDIS_URL) for pub/sub: cache invalidation (internal/platform/invalidation)
// and read-your-writes positions (internal/platform/sqlreplica).
package redisconn

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// Dial opens a client for url and checks that the server answers within 5 s: start-up fails
// rather than running on with sharing that silently does nothing. The caller closes the client.
func Dial(ctx context.Context, url string) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, errors.New("TF_REDIS_URL is not a redis:// URL")
	}
	c := redis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		_ = c.Close()
		return nil, errors.New("the Redis server is not reachable: " + err.Error())
	}
	return c, nil
}

// Origin returns a random name for one instance's messages on a shared channel, so that the
// instance can recognise its own and skip them.
func Origin() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
