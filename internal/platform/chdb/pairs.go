package chdb

import (
	"context"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"
)

// Pairs runs q, whose result has a key column and a value column with the names given, and
// collects the rows into a map (a later row wins). q's Result and OnResult are set here.
func Pairs[K comparable, V any](ctx context.Context, db Doer, q ch.Query,
	keyName string, key proto.ColumnOf[K], valName string, val proto.ColumnOf[V]) (map[K]V, error) {
	out := map[K]V{}
	q.Result = proto.Results{{Name: keyName, Data: key}, {Name: valName, Data: val}}
	q.OnResult = func(context.Context, proto.Block) error {
		for i := range key.Rows() {
			out[key.Row(i)] = val.Row(i)
		}
		return nil
	}
	if err := db.Do(ctx, q); err != nil {
		return nil, err
	}
	return out, nil
}
