package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// userColumns are the columns Get reads, in the order both scanners expect them.
const userColumns = `id, created_at, updated_at, deleted_at, email, password_hash, first_name, last_name,
       organization_id, status, last_login_at, failed_login_count, locked_until, password_changed_at, kind, description`

// getUserQueries is GET /users/{id}'s query, written out: it runs on every authorized read, and
// ent's builder spent more allocations composing it (≈ 85 per call) than the database spent
// answering. The text is fixed per dialect and scope (All, or with the organization condition
// of visibleUsers), so SQLite's per-connection statement cache and pgx's both prepare it once.
// SQLite's packs the row into one text (jsonRow).
var getUserQueries = func() map[string][2]string {
	m := map[string][2]string{}
	for d, sel := range map[string]string{dialect.Postgres: userColumns, dialect.SQLite: "json_array(" + userColumns + ")"} {
		q := "SELECT " + sel + "\n  FROM users WHERE id = ? AND deleted_at IS NULL"
		m[d] = [2]string{sqldb.Rebind(d, q), sqldb.Rebind(d, q+` AND organization_id = ?`)}
	}
	return m
}()

func (r users) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.User, error) {
	q := getUserQueries[r.dialect]
	var (
		rows *sql.Rows
		err  error
	)
	if s.All {
		rows, err = r.c.QueryContext(ctx, q[0], id)
	} else {
		rows, err = r.c.QueryContext(ctx, q[1], id, s.OrganizationID)
	}
	if err != nil {
		return nil, mapErr(err, "user", nil)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, mapErr(err, "user", nil)
		}
		return nil, errs.NotFound("user")
	}
	var u *iam.User
	if r.dialect == dialect.SQLite {
		var packed string
		if err = rows.Scan(&packed); err == nil {
			u, err = userFromJSON(packed)
		}
	} else {
		u, err = scanUser(rows)
	}
	if err == nil {
		err = rows.Close()
	}
	if err != nil {
		return nil, mapErr(err, "user", nil)
	}
	return u, nil
}

// userTimes are a user's six times, in one array so that the four optional ones the user
// points to escape to the heap as one allocation.
type userTimes [6]utcTime

func (ts *userTimes) fill(u *iam.User) error {
	created, updated := &ts[0], &ts[1]
	if !created.valid || !updated.valid {
		return errors.New("user without created_at or updated_at")
	}
	u.CreatedAt, u.UpdatedAt = created.t, updated.t
	u.DeletedAt, u.LastLoginAt, u.LockedUntil, u.PasswordChangedAt = ts[2].ptr(), ts[3].ptr(), ts[4].ptr(), ts[5].ptr()
	return nil
}

// scanUser reads userColumns as pgx hands them over.
func scanUser(rows *sql.Rows) (*iam.User, error) {
	var (
		u            iam.User
		status, kind string
		ts           userTimes
	)
	if err := rows.Scan(&u.ID, &ts[0], &ts[1], &ts[2], &u.Email, &u.PasswordHash, &u.FirstName, &u.LastName,
		&u.OrganizationID, &status, &ts[3], &u.FailedLoginCount, &ts[4], &ts[5], &kind, &u.Description); err != nil {
		return nil, err
	}
	u.Status, u.Kind = iam.UserStatus(status), iam.UserKind(kind)
	return &u, ts.fill(&u)
}

// userFromJSON reads userColumns packed by SQLite's json_array. Strings are slices of the packed
// text, so the user keeps it alive: a few hundred bytes, for as long as the user lives.
func userFromJSON(packed string) (*iam.User, error) {
	var (
		u  iam.User
		ts userTimes
		r  = newJSONRow(packed)
	)
	uid := func(dst *uuid.UUID) {
		if v, ok := r.str(); ok && r.err == nil {
			if *dst, r.err = uuid.Parse(v); r.err != nil {
				r.fail("a UUID")
			}
		} else if r.err == nil {
			r.fail("a UUID")
		}
	}
	at := func(dst *utcTime) {
		if v, ok := r.str(); ok && r.err == nil {
			if err := dst.parse(v); err != nil {
				r.fail("a time")
			}
		}
	}
	text := func(dst *string) { *dst, _ = r.str() }
	uid(&u.ID)
	at(&ts[0])
	at(&ts[1])
	at(&ts[2])
	text(&u.Email)
	text(&u.PasswordHash)
	text(&u.FirstName)
	text(&u.LastName)
	uid(&u.OrganizationID)
	status, _ := r.str()
	at(&ts[3])
	u.FailedLoginCount = r.int()
	at(&ts[4])
	at(&ts[5])
	kind, _ := r.str()
	text(&u.Description)
	if err := r.end(); err != nil {
		return nil, err
	}
	u.Status, u.Kind = iam.UserStatus(status), iam.UserKind(kind)
	return &u, ts.fill(&u)
}

// utcTime scans a nullable time as either driver hands it over: pgx as a time.Time, SQLite
// (userFromJSON) as the text the driver wrote with _time_format=sqlite.
type utcTime struct {
	t     time.Time
	valid bool
}

// ptr points into u itself: with a value receiver every call copied u to the heap, taken or
// not (four allocations a read).
func (u *utcTime) ptr() *time.Time {
	if !u.valid {
		return nil
	}
	return &u.t
}

// sqliteTimeLayout is modernc's "sqlite" write format; UTC times end in +00:00.
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

func (u *utcTime) Scan(v any) error {
	var t time.Time
	switch x := v.(type) {
	case nil:
		u.valid = false
		return nil
	case time.Time:
		t = x
	case string:
		return u.parse(x)
	default:
		return fmt.Errorf("time column holds %T", v)
	}
	u.t, u.valid = t.UTC(), true
	return nil
}

// parse reads the text SQLite's driver wrote.
func (u *utcTime) parse(s string) error {
	var (
		t   time.Time
		err error
	)
	// Without the offset the parse needs no zone value (and allocates nothing).
	if local, ok := strings.CutSuffix(s, "+00:00"); ok {
		t, err = time.ParseInLocation(sqliteTimeLayout[:len(sqliteTimeLayout)-6], local, time.UTC)
	} else {
		t, err = time.Parse(sqliteTimeLayout, s)
	}
	if err != nil {
		return err
	}
	u.t, u.valid = t.UTC(), true
	return nil
}
