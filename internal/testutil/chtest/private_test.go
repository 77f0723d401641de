package chtest_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/testutil/chtest"
)

// TestServerSurvivesClientResets resets native-protocol connections the way a client process
// that dies (SIGKILL, a panic, a test timeout) can, and checks that the server still serves
// with its data intact. The dev server used to abort on a reset between queries or during
// the handshake, taking every test that shared it down (docs/clickhouse-dev-server.md).
func TestServerSurvivesClientResets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		reset func(t *testing.T, addr string)
	}{
		{"between queries", func(t *testing.T, addr string) {
			// A dying process resets, rather than closes, a connection whose receive buffer
			// still holds the end of an answer: here the answer was read, so force it.
			d := &resettingDialer{}
			c := dialPrivate(t, addr, d)
			do(t, c, ch.Query{Body: "SELECT 1 AS one", Result: (&proto.Results{}).Auto()})
			d.reset(t)
		}},
		{"during the handshake", func(t *testing.T, addr string) {
			c, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			// The first bytes of a Hello packet: its code, then a client name cut short.
			if _, err := c.Write([]byte{0, 20, 'c', 'h'}); err != nil {
				t.Fatal(err)
			}
			(&resettingDialer{conn: c}).reset(t)
		}},
		{"during an insert", func(t *testing.T, addr string) {
			d := &resettingDialer{}
			c := dialPrivate(t, addr, d)
			var n proto.ColUInt64
			blocks := 0
			err := c.Do(t.Context(), ch.Query{
				Body:  "INSERT INTO kept VALUES",
				Input: proto.Input{{Name: "n", Data: &n}},
				OnInput: func(context.Context) error {
					if blocks++; blocks == 3 {
						d.reset(t) // two blocks sent, the insert not finished
					}
					n.Reset()
					for i := range 100 {
						n.Append(uint64(1_000_000 + i))
					}
					return nil
				},
			})
			if err == nil {
				t.Fatal("the insert succeeded on a reset connection")
			}
		}},
		{"while it sends a result", func(t *testing.T, addr string) {
			// Write errors (broken pipe, reset by peer) never aborted the server; this guards it.
			d := &resettingDialer{}
			c := dialPrivate(t, addr, d)
			blocks := 0
			err := c.Do(t.Context(), ch.Query{
				Body:   "SELECT number, toString(number) AS s FROM numbers(100000000)",
				Result: (&proto.Results{}).Auto(),
				OnResult: func(context.Context, proto.Block) error {
					if blocks++; blocks == 2 {
						d.reset(t)
					}
					return nil
				},
			})
			if err == nil {
				t.Fatal("the select succeeded on a reset connection")
			}
		}},
	} {
		// A server of its own for each case, so that one abort does not hide the next case.
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := chtest.StartPrivate(t)
			probe := dialPrivate(t, p.Addr, nil)
			do(t, probe, ch.Query{Body: "CREATE TABLE kept (n UInt64) ENGINE = MergeTree ORDER BY n"})
			do(t, probe, ch.Query{Body: "INSERT INTO kept SELECT number FROM numbers(1000)"})
			tc.reset(t, p.Addr)
			p.AwaitConnections(t, 1) // the probe's
			var rows proto.ColUInt64
			do(t, probe, ch.Query{Body: "SELECT count() AS n FROM kept", Result: proto.Results{{Name: "n", Data: &rows}}})
			if rows.Row(0) != 1000 {
				t.Fatalf("kept has %d rows, want the 1000 inserted before the reset", rows.Row(0))
			}
			fresh := dialPrivate(t, p.Addr, nil) // and new clients are still served
			do(t, fresh, ch.Query{Body: "SELECT 1 AS one", Result: (&proto.Results{}).Auto()})
		})
	}
}

// resettingDialer remembers the connection it dialed so that a test can reset it.
type resettingDialer struct {
	mu   sync.Mutex
	conn net.Conn
}

func (d *resettingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.conn = c
	return c, err
}

// reset closes the connection with an RST instead of a FIN (SO_LINGER 0).
func (d *resettingDialer) reset(t *testing.T) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.conn.(*net.TCPConn).SetLinger(0); err != nil {
		t.Fatal(err)
	}
	_ = d.conn.Close()
}

func dialPrivate(t *testing.T, addr string, d ch.Dialer) *ch.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	c, err := ch.Dial(ctx, ch.Options{Address: addr, Dialer: d, DialTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func do(t *testing.T, c *ch.Client, q ch.Query) {
	t.Helper()
	if q.Result != nil && q.OnResult == nil {
		q.OnResult = func(context.Context, proto.Block) error { return nil }
	}
	if err := c.Do(t.Context(), q); err != nil {
		t.Fatalf("%s: %v", q.Body, err)
	}
}
