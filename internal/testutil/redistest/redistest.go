// Package redistest points tests at a real Redis server, with a channel of their own. There is
// no fallback: without a server the test fails and says how to provide one.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// EnvURL names the server tests use.
const EnvURL = "TF_TEST_REDIS_URL"

// URL returns the server URL after checking it answers.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		u = "redis://127.0.0.1:6379/0"
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatalf("redistest: %s: %v", EnvURL, err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("redistest: Redis is required for this test and is not reachable at %s (set %s or start redis-server): %v", opt.Addr, EnvURL, err)
	}
	return u
}

// Channel returns a channel name no other test uses.
func Channel() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "tf-test:" + hex.EncodeToString(b)
}
