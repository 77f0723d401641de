// Package seed brings a database to the state every installation starts from: the permission
// catalog, the system roles and their grants, the default and demo hierarchy, and a bootstrap
// super administrator. Running it again changes nothing that is already right.
package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/region"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/rolepermission"
	"github.com/telemetryflow/core/ent/tenant"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/ent/workspace"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Slugs of the seeded hierarchy.
const (
	DefaultSlug = "default"
	DemoSlug    = "demo"
	// GlobalScope is the scope_key of roles that belong to no tenant or organization.
	GlobalScope = "global"
)

// Hasher is the part of the password hasher the bootstrap needs.
type Hasher interface {
	Hash(ctx context.Context, pw string) (string, error)
}

// Config says who the bootstrap administrator is.
type Config struct {
	AdminEmail    string
	AdminPassword string // empty: generate one and write it once to Announce
	Hasher        Hasher
	// Announce receives the generated password (stderr), never the logs.
	Announce io.Writer
	// GeneratePassword makes a strong random password.
	GeneratePassword func() string
	// Policy is the password policy; a configured AdminPassword that breaks it stops the
	// start (whether or not the administrator still has to be created), and a generated one is
	// drawn again until it meets it.
	Policy iam.PasswordPolicy
}

// Result reports what the run created.
type Result struct {
	PermissionsCreated int
	RolesCreated       int
	AdminCreated       bool
	AdminID            uuid.UUID
	// The seeded hierarchy, reported on every run (authorization confines the demo tier to it).
	DefaultOrganizationID uuid.UUID
	DemoOrganizationID    uuid.UUID
	DemoRoleID            uuid.UUID
}

// Run seeds inside one transaction.
func Run(ctx context.Context, client *ent.Client, cfg Config) (Result, error) {
	var res Result
	// Stored, looked up and announced in its one normal form, like every email.
	cfg.AdminEmail = iam.CanonicalEmail(cfg.AdminEmail)
	// Hash outside the transaction: on SQLite the write lock would otherwise be held ~50 ms.
	var adminHash, generated string
	if cfg.AdminPassword != "" {
		if err := cfg.Policy.Check(cfg.AdminPassword, cfg.AdminEmail); err != nil {
			return res, weakBootstrapPassword(err)
		}
	}
	needAdmin, err := needsBootstrap(ctx, client)
	if err != nil {
		return res, err
	}
	if needAdmin {
		pw := cfg.AdminPassword
		if pw == "" {
			if pw, err = generate(cfg); err != nil {
				return res, err
			}
			generated = pw
		}
		if adminHash, err = cfg.Hasher.Hash(ctx, pw); err != nil {
			return res, fmt.Errorf("hash bootstrap password: %w", err)
		}
	}
	tx, err := client.Tx(ctx)
	if err != nil {
		return res, err
	}
	defer func() { _ = tx.Rollback() }()
	perms, err := seedPermissions(ctx, tx, &res)
	if err != nil {
		return res, fmt.Errorf("seed permissions: %w", err)
	}
	roles, err := seedRoles(ctx, tx, perms, &res)
	if err != nil {
		return res, fmt.Errorf("seed roles: %w", err)
	}
	res.DemoRoleID = roles[rbac.RoleDemo]
	defaultOrg, demoOrg, err := seedHierarchy(ctx, tx)
	res.DefaultOrganizationID, res.DemoOrganizationID = defaultOrg, demoOrg
	if err != nil {
		return res, fmt.Errorf("seed hierarchy: %w", err)
	}
	if needAdmin {
		if err := seedAdmin(ctx, tx, cfg.AdminEmail, adminHash, defaultOrg, roles[rbac.RoleSuperAdministrator], &res); err != nil {
			return res, fmt.Errorf("bootstrap administrator: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return res, err
	}
	if res.AdminCreated && generated != "" && cfg.Announce != nil {
		fmt.Fprintf(cfg.Announce, "\n  Bootstrap super administrator: %s\n  Generated password (shown once, change it): %s\n\n", cfg.AdminEmail, generated)
	}
	return res, nil
}

// needsBootstrap is true when no live, active user holds super_administrator.
func needsBootstrap(ctx context.Context, c *ent.Client) (bool, error) {
	n, err := c.User.Query().Where(
		user.DeletedAtIsNil(), user.StatusEQ(user.StatusActive),
		user.HasRolesWith(role.NameEQ(rbac.RoleSuperAdministrator), role.ScopeKeyEQ(GlobalScope), role.DeletedAtIsNil()),
	).Count(ctx)
	return n == 0, err
}

func seedPermissions(ctx context.Context, tx *ent.Tx, res *Result) (map[string]uuid.UUID, error) {
	existing, err := tx.Permission.Query().Where(permission.DeletedAtIsNil()).All(ctx)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]uuid.UUID, len(existing))
	for _, p := range existing {
		ids[p.Name] = p.ID
	}
	for _, def := range rbac.Catalog() {
		if _, ok := ids[def.Name()]; ok {
			continue
		}
		p, err := tx.Permission.Create().SetName(def.Name()).SetResource(def.Resource).SetAction(def.Action).
			SetDescription(def.Description).SetSystem(true).Save(ctx)
		if err != nil {
			return nil, err
		}
		ids[p.Name] = p.ID
		res.PermissionsCreated++
	}
	return ids, nil
}

// seedRoles creates missing system roles and makes each hold exactly its defined permissions,
// so a catalog change reaches existing installations.
func seedRoles(ctx context.Context, tx *ent.Tx, perms map[string]uuid.UUID, res *Result) (map[string]uuid.UUID, error) {
	ids := map[string]uuid.UUID{}
	for _, sr := range rbac.SystemRoles() {
		r, err := tx.Role.Query().Where(role.ScopeKeyEQ(GlobalScope), role.NameEQ(sr.Name), role.DeletedAtIsNil()).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			r, err = tx.Role.Create().SetName(sr.Name).SetDescription(sr.Description).SetTier(int(sr.Tier)).
				SetSystemRole(true).SetScopeKey(GlobalScope).Save(ctx)
			if err != nil {
				return nil, err
			}
			res.RolesCreated++
		case err != nil:
			return nil, err
		case !r.SystemRole || r.Tier != int(sr.Tier):
			return nil, fmt.Errorf("role %q exists but is not the tier-%d system role", sr.Name, sr.Tier)
		}
		ids[sr.Name] = r.ID
		want := make([]uuid.UUID, 0, len(sr.Permissions))
		for _, name := range sr.Permissions {
			want = append(want, perms[name])
		}
		have, err := tx.RolePermission.Query().Where(rolepermission.RoleID(r.ID)).All(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := tx.RolePermission.Delete().Where(rolepermission.RoleID(r.ID), rolepermission.PermissionIDNotIn(want...)).Exec(ctx); err != nil {
			return nil, err
		}
		var add []*ent.RolePermissionCreate
		for _, pid := range want {
			if !slices.ContainsFunc(have, func(h *ent.RolePermission) bool { return h.PermissionID == pid }) {
				add = append(add, tx.RolePermission.Create().SetRoleID(r.ID).SetPermissionID(pid))
			}
		}
		if len(add) > 0 {
			if err := tx.RolePermission.CreateBulk(add...).Exec(ctx); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// seedHierarchy ensures the default and demo region/tenant/organization/workspace exist and
// returns the default and demo organizations.
func seedHierarchy(ctx context.Context, tx *ent.Tx) (defaultOrg, demoOrg uuid.UUID, err error) {
	reg, err := tx.Region.Query().Where(region.CodeEQ(DefaultSlug), region.DeletedAtIsNil()).Only(ctx)
	if ent.IsNotFound(err) {
		reg, err = tx.Region.Create().SetName("Default").SetCode(DefaultSlug).SetDescription("Default region").Save(ctx)
	}
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	for _, slug := range []string{DefaultSlug, DemoSlug} {
		name := map[string]string{DefaultSlug: "Default", DemoSlug: "Demo"}[slug]
		t, err := tx.Tenant.Query().Where(tenant.SlugEQ(slug), tenant.DeletedAtIsNil()).Only(ctx)
		if ent.IsNotFound(err) {
			t, err = tx.Tenant.Create().SetName(name).SetSlug(slug).SetRegionID(reg.ID).Save(ctx)
		}
		if err != nil {
			return uuid.Nil, uuid.Nil, err
		}
		o, err := tx.Organization.Query().Where(organization.TenantID(t.ID), organization.SlugEQ(slug), organization.DeletedAtIsNil()).Only(ctx)
		if ent.IsNotFound(err) {
			o, err = tx.Organization.Create().SetName(name).SetSlug(slug).SetTenantID(t.ID).Save(ctx)
		}
		if err != nil {
			return uuid.Nil, uuid.Nil, err
		}
		exists, err := tx.Workspace.Query().Where(workspace.OrganizationID(o.ID), workspace.SlugEQ(slug), workspace.DeletedAtIsNil()).Exist(ctx)
		if err != nil {
			return uuid.Nil, uuid.Nil, err
		}
		if !exists {
			if _, err := tx.Workspace.Create().SetName(name).SetSlug(slug).SetOrganizationID(o.ID).Save(ctx); err != nil {
				return uuid.Nil, uuid.Nil, err
			}
		}
		if slug == DefaultSlug {
			defaultOrg = o.ID
		} else {
			demoOrg = o.ID
		}
	}
	return defaultOrg, demoOrg, nil
}

func seedAdmin(ctx context.Context, tx *ent.Tx, email, hash string, org, superAdmin uuid.UUID, res *Result) error {
	taken, err := tx.User.Query().Where(user.EmailEQ(email), user.DeletedAtIsNil()).Exist(ctx)
	if err != nil {
		return err
	}
	if taken {
		// Promoting an existing account silently would be a privilege escalation path.
		return errors.New("no active super administrator exists and TF_BOOTSTRAP_ADMIN_EMAIL belongs to an existing user; choose an unused email")
	}
	u, err := tx.User.Create().SetEmail(email).SetPasswordHash(hash).SetFirstName("Super").
		SetLastName("Administrator").SetOrganizationID(org).SetStatus(user.StatusActive).Save(ctx)
	if err != nil {
		return err
	}
	if _, err := tx.UserRole.Create().SetUserID(u.ID).SetRoleID(superAdmin).Save(ctx); err != nil {
		return err
	}
	res.AdminCreated = true
	res.AdminID = u.ID
	return nil
}

// generate draws a password that meets the policy. A random 32-character password fails it
// with negligible probability; the bound only keeps a broken generator from looping forever.
func generate(cfg Config) (string, error) {
	for range 10 {
		pw := cfg.GeneratePassword()
		if cfg.Policy.Check(pw, cfg.AdminEmail) == nil {
			return pw, nil
		}
	}
	return "", errors.New("bootstrap administrator: the password generator keeps producing passwords the policy refuses")
}

// weakBootstrapPassword names the setting and the rule, never the password.
func weakBootstrapPassword(err error) error {
	e := errs.As(err)
	if len(e.Fields) == 0 {
		return err
	}
	f := e.Fields[0]
	return fmt.Errorf("TF_BOOTSTRAP_ADMIN_PASSWORD is refused by the password policy: it %s (%s)", f.Message, f.Code)
}
