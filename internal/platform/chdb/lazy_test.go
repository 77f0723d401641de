package chdb_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/chpool"

	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/testutil/chtest"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestLazyFailsFastUntilConnected(t *testing.T) {
	t.Parallel()
	l, err := chdb.NewLazy(chdb.LazyConfig{Config: chdb.Config{Addr: closedPort(t), Database: "tf_lazy"}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = l.Connect(context.Background())
	var setup *chdb.SetupError
	if err == nil || errors.As(err, &setup) {
		t.Fatalf("connect to a closed port: %v", err)
	}
	if err := l.Do(context.Background(), ch.Query{Body: "SELECT 1"}); !errors.Is(err, chdb.ErrNotConnected) {
		t.Fatalf("query before connecting: %v", err)
	}
	l.Start()
	l.Close() // stops the background attempts
}

func TestLazySetsUpBeforeHandingOutThePool(t *testing.T) {
	t.Parallel()
	s := chtest.New(t)
	refused := errors.New("migration refused")
	l, err := chdb.NewLazy(chdb.LazyConfig{Config: chdb.Config{Addr: s.Addr, Database: s.Database},
		Setup: func(context.Context, *chpool.Pool) error { return refused }})
	if err != nil {
		t.Fatal(err)
	}
	var setup *chdb.SetupError
	if err := l.Connect(context.Background()); !errors.As(err, &setup) || !errors.Is(err, refused) {
		t.Fatalf("failed setup: %v", err)
	}
	l.Close()

	connected := make(chan struct{})
	l, err = chdb.NewLazy(chdb.LazyConfig{Config: chdb.Config{Addr: s.Addr, Database: s.Database},
		Setup: func(ctx context.Context, p *chpool.Pool) error {
			return p.Do(ctx, ch.Query{Body: "CREATE TABLE t (x UInt8) ENGINE = Memory"})
		},
		OnConnect: func() { close(connected) }, RetryMin: time.Millisecond, RetryMax: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.Start()
	<-l.Ready()
	<-connected
	if err := l.Do(context.Background(), ch.Query{Body: "INSERT INTO t VALUES (1)"}); err != nil || l.Err() != nil {
		t.Fatalf("after setup: %v, %v", err, l.Err())
	}
}
