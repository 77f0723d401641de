package auditch

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
)

// TestParameterValuesRoundTrip sends awkward strings as query parameters and checks the
// server receives exactly those bytes: quoting is what keeps every filter value data.
func TestParameterValuesRoundTrip(t *testing.T) {
	t.Parallel()
	s := chtest.New(t)
	values := append([]string{"", "plain", "o'brien@example.com", `back\slash`, `\\`, `\'`, "\x00\x01\x7f\xff", "{x:String}"}, audittest.Injections...)
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		values = append(values, string(b))
	}
	for _, v := range values {
		var q query
		q.str("v", v)
		var got proto.ColStr
		err := s.Client.Do(context.Background(), ch.Query{
			Body: "SELECT {v:String} AS v", Parameters: q.params,
			Result: proto.Results{{Name: "v", Data: &got}},
		})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if got.Row(0) != v {
			t.Fatalf("sent %q, server has %q", v, got.Row(0))
		}
	}
}
