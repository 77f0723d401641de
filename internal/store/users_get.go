package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// userColumns are the columns Get reads, in the order userFromJSON reads them.
const userColumns = `id, created_at, updated_at, deleted_at, email, password_hash, first_name, last_name,
       organization_id, status, last_login_at, failed_login_count, locked_until, password_changed_at, kind, description`

// getUserQueries is GET /users/{id}'s query, written out: it runs on every authorized read, and
// ent's builder spent more allocations composing it (≈ 85 per call) than the database spent
// answering. The text is fixed per dialect and scope (All, or with the organization condition
// of visibleUsers), so SQLite's per-connection statement cache and pgx's both prepare it once.
// Both pack the row into one text (jsonRow).
var getUserQueries = func() map[string][2]string {
	m := map[string][2]string{}
	for d, pack := range map[string]string{dialect.Postgres: "json_build_array", dialect.SQLite: "json_array"} {
		q := "SELECT " + pack + "(" + userColumns + ")\n  FROM users WHERE id = ? AND deleted_at IS NULL"
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
	// As text: pgx first tries uuid.UUID's other encodings, allocating an error for each.
	if s.All {
		rows, err = r.c.QueryContext(ctx, q[0], id.String())
	} else {
		rows, err = r.c.QueryContext(ctx, q[1], id.String(), s.OrganizationID.String())
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
	var (
		u      *iam.User
		packed string
	)
	if err = rows.Scan(&packed); err == nil {
		u, err = userFromJSON(packed)
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

// userFromJSON reads userColumns packed by json_array or json_build_array. Strings are slices
// of the packed text, so the user keeps it alive: a few hundred bytes, as long as the user.
func userFromJSON(packed string) (*iam.User, error) {
	var (
		u  iam.User
		ts userTimes
		r  = newJSONRow(packed)
	)
	uid := func(dst *uuid.UUID) {
		v, ok := r.str()
		if r.err != nil {
			return
		}
		id, err := uuid.Parse(v)
		if !ok || err != nil {
			r.fail("a UUID")
			return
		}
		*dst = id
	}
	at := func(dst *utcTime) { // null leaves it invalid
		if v, ok := r.str(); ok && r.err == nil && dst.parse(v) != nil {
			r.fail("a time")
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

// utcTime is a nullable time as a packed row holds it: the text modernc wrote
// (_time_format=sqlite) or PostgreSQL's JSON rendering of a timestamptz.
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

// The two layouts differ only in the date's separator; UTC times end in +00:00.
const (
	sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"
	pgJSONTimeLayout = "2006-01-02T15:04:05.999999999-07:00"
)

func (u *utcTime) parse(s string) error {
	layout := sqliteTimeLayout
	if len(s) > 10 && s[10] == 'T' {
		layout = pgJSONTimeLayout
	}
	var (
		t   time.Time
		err error
	)
	// Without the offset the parse needs no zone value (and allocates nothing).
	if local, ok := strings.CutSuffix(s, "+00:00"); ok {
		t, err = time.ParseInLocation(layout[:len(layout)-6], local, time.UTC)
	} else {
		t, err = time.Parse(layout, s)
	}
	if err != nil {
		return err
	}
	u.t, u.valid = t.UTC(), true
	return nil
}
