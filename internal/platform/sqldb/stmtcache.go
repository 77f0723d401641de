package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"reflect"
	"sync/atomic"

	"modernc.org/sqlite"
)

// sqliteCachedDriver is modernc's SQLite driver with a per-connection cache of prepared
// statements. database/sql and ent send each query as text, and SQLite would parse and plan it
// on every call; on a hot read that parse is most of the query's cost. PostgreSQL needs no
// such layer: pgx caches statements itself.
const sqliteCachedDriver = "sqlite-stmtcache"

func init() { sql.Register(sqliteCachedDriver, cachingDriver{base: &sqlite.Driver{}}) }

// stmtCacheSize bounds prepared statements kept per connection.
const stmtCacheSize = 256

type cachingDriver struct{ base driver.Driver }

func (d cachingDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.base.Open(dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{base: c, stmts: make(map[string]*cachedStmt, stmtCacheSize)}, nil
}

// cachingConn is used by one goroutine at a time (database/sql's contract), except that rows
// may be closed from another; the busy flag is therefore atomic.
type cachingConn struct {
	base  driver.Conn
	stmts map[string]*cachedStmt
	order []string // insertion order, for eviction
}

type cachedStmt struct {
	st driver.Stmt
	// busy while rows from st are open: SQLite cannot run a statement again before its previous
	// run is finished, so a second use (a query inside a transaction while rows are open) goes
	// the uncached way.
	busy atomic.Bool
}

var (
	_ driver.Conn               = (*cachingConn)(nil)
	_ driver.QueryerContext     = (*cachingConn)(nil)
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
)

func (c *cachingConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	st, err := c.base.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(c.order) >= stmtCacheSize {
		c.evict()
	}
	s := &cachedStmt{st: st}
	c.stmts[query] = s
	c.order = append(c.order, query)
	return s, nil
}

// evict closes the oldest idle statement.
func (c *cachingConn) evict() {
	for i, q := range c.order {
		s := c.stmts[q]
		if s.busy.Load() {
			continue
		}
		_ = s.st.Close()
		delete(c.stmts, q)
		c.order = append(c.order[:i], c.order[i+1:]...)
		return
	}
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil || !s.busy.CompareAndSwap(false, true) {
		return c.base.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := s.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		s.busy.Store(false)
		return nil, err
	}
	return &releasingRows{Rows: rows, s: s}, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil || !s.busy.CompareAndSwap(false, true) {
		return c.base.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	defer s.busy.Store(false)
	return s.st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) { return c.base.Prepare(query) }

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.base.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.base.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.base.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.base.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.base.(driver.Validator).IsValid() }

func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		_ = s.st.Close()
	}
	clear(c.stmts)
	c.order = nil
	return c.base.Close()
}

// releasingRows frees its statement for reuse once read.
type releasingRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *releasingRows) Close() error {
	err := r.Rows.Close()
	r.s.busy.Store(false)
	return err
}

// ColumnTypeDatabaseTypeName passes through the column type names ent relies on.
func (r *releasingRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

// ColumnTypeScanType passes through.
func (r *releasingRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

// ColumnTypeNullable passes through.
func (r *releasingRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}
