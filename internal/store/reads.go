package store

import (
	"context"
	stdsql "database/sql"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/platform/sqlreplica"
)

// OpenReads builds the client the store's queries read through: each read goes where the
// router says (a replica in rotation, or the primary), and a read a replica fails is retried on
// the primary. It is for reads only; writes and transactions through it go to the primary
// anyway, but the store never sends them here (see Config.Reads).
func OpenReads(r *sqlreplica.Router) *ent.Client {
	d := &routedDriver{router: r, primary: entsql.OpenDB(dialect.Postgres, r.Primary())}
	for i := range r.Replicas() {
		d.replicas = append(d.replicas, entsql.OpenDB(dialect.Postgres, r.Replica(i)))
	}
	return ent.NewClient(ent.Driver(d))
}

// routedDriver is ent's driver over the router.
type routedDriver struct {
	router   *sqlreplica.Router
	primary  *entsql.Driver
	replicas []*entsql.Driver
}

var _ dialect.Driver = (*routedDriver)(nil)

func (d *routedDriver) Query(ctx context.Context, query string, args, v any) error {
	i := d.router.Pick(ctx)
	if i < 0 {
		return d.primary.Query(ctx, query, args, v)
	}
	err := d.replicas[i].Query(ctx, query, args, v)
	if d.router.Failed(ctx, i, err) {
		return d.primary.Query(ctx, query, args, v)
	}
	return err
}

// QueryContext serves the store's hand-written reads (ent's Client.QueryContext).
func (d *routedDriver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	i := d.router.Pick(ctx)
	if i < 0 {
		return d.primary.QueryContext(ctx, query, args...)
	}
	rows, err := d.replicas[i].QueryContext(ctx, query, args...)
	if d.router.Failed(ctx, i, err) {
		return d.primary.QueryContext(ctx, query, args...)
	}
	return rows, err
}

func (d *routedDriver) Exec(ctx context.Context, query string, args, v any) error {
	return d.primary.Exec(ctx, query, args, v)
}

func (d *routedDriver) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	return d.primary.ExecContext(ctx, query, args...)
}

func (d *routedDriver) Tx(ctx context.Context) (dialect.Tx, error) { return d.primary.Tx(ctx) }

func (d *routedDriver) BeginTx(ctx context.Context, opts *stdsql.TxOptions) (dialect.Tx, error) {
	return d.primary.BeginTx(ctx, opts)
}

// Close closes nothing: the pools belong to whoever opened them.
func (d *routedDriver) Close() error { return nil }

func (d *routedDriver) Dialect() string { return dialect.Postgres }
