package iam_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

var now = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// fieldsOf returns the invalid field names of a validation error, failing on anything else.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e, ok := err.(*errs.Error)
	if !ok || e.Kind != errs.KindInvalid || e.Code != errs.CodeValidation {
		t.Fatalf("want validation_failed, got %v", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"Ada@Example.COM", "ada@example.com", true},
		{"  ada@example.com ", "ada@example.com", true},
		{"a.b+tag@sub.example.org", "a.b+tag@sub.example.org", true},
		{"", "", false},
		{"ada", "", false},
		{"ada@", "", false},
		{"@example.com", "", false},
		{"Ada <ada@example.com>", "", false},
		{"ada@example.com (comment)", "", false},
		{"a b@example.com", "", false},
		{strings.Repeat("a", 250) + "@x.io", "", false},
	}
	for _, tc := range cases {
		got, err := iam.NormalizeEmail(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// commonList is a stand-in for the bundled list (internal/domain/breached tests that one).
type commonList map[string]bool

func (l commonList) Contains(lower string) bool { return l[lower] }

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	common := commonList{"passwordpassword": true, "123456789012": true}
	cases := []struct {
		name, pw, email string
		min, max        int
		code            string // "" when accepted
	}{
		{"long enough", "correct horse battery", "ada@example.com", 12, 128, ""},
		{"exactly min", "kq2xv7mp3wzt", "", 12, 128, ""},
		{"one short", "kq2xv7mp3wz", "", 12, 128, iam.CodePasswordTooShort},
		{"exactly max", strings.Repeat("abcde", 25) + "abc", "", 12, 128, ""},
		{"one over max", strings.Repeat("abcde", 25) + "abcd", "", 12, 128, iam.CodePasswordTooLong},
		{"runes not bytes", "üöäßéèêàçñõå", "", 12, 128, ""},
		{"equals email", "ada.lovelace@example.com", "ada.lovelace@example.com", 12, 128, iam.CodePasswordIsEmail},
		{"equals email ignoring case", "Ada.Lovelace@Example.com", "ada.lovelace@example.com", 12, 128, iam.CodePasswordIsEmail},
		{"configured min", "short-pass", "", 8, 64, ""},
		{"defaults when unset", "kq2xv7mp3wz", "", 0, 0, iam.CodePasswordTooShort},
		{"on the common list", "passwordpassword", "", 12, 128, iam.CodePasswordBreached},
		{"on the common list whatever the case", "PassWordPASSword", "", 12, 128, iam.CodePasswordBreached},
		{"digits on the common list", "123456789012", "", 12, 128, iam.CodePasswordBreached},
		{"twelve spaces", strings.Repeat(" ", 12), "", 12, 128, iam.CodePasswordTooFewDistinct},
		{"one character repeated", strings.Repeat("x", 128), "", 12, 128, iam.CodePasswordTooFewDistinct},
		{"four distinct", "abcdabcdabcd", "", 12, 128, iam.CodePasswordTooFewDistinct},
		{"four distinct ignoring case", "abcdABCDabcd", "", 12, 128, iam.CodePasswordTooFewDistinct},
		{"five distinct", "abcdeabcdeab", "", 12, 128, ""},
		{"multi-byte repeated", strings.Repeat("ü", 12), "", 12, 128, iam.CodePasswordTooFewDistinct},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := iam.PasswordPolicy{Min: tc.min, Max: tc.max, Common: common}.Check(tc.pw, tc.email)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := errs.As(err)
			if e.Kind != errs.KindInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "password" || e.Fields[0].Code != tc.code {
				t.Fatalf("got %+v, want one password field error %s", e, tc.code)
			}
			if strings.Contains(err.Error(), tc.pw) {
				t.Fatal("the error echoes the password")
			}
		})
	}
	if err := (iam.PasswordPolicy{Min: 12, Max: 128}).Check("passwordpassword", ""); err != nil {
		t.Fatalf("without a list: %v", err)
	}
	renamed := iam.PasswordField(iam.PasswordPolicy{Min: 12, Max: 128}.Check("x", ""), "new_password")
	if f := fieldsOf(t, renamed); len(f) != 1 || f[0] != "new_password" {
		t.Fatalf("renamed fields %v", f)
	}
}

func TestPasswordChange(t *testing.T) {
	t.Parallel()
	policy := iam.PasswordPolicy{Min: 12, Max: 128, Common: commonList{"passwordpassword": true}}
	cases := []struct {
		name, current, next string
		want                string // the one field's message or code; "" when accepted
	}{
		{"a new strong password", "old horse battery", "correct horse battery", ""},
		{"the same as before", "correct horse battery", "correct horse battery", "must differ from the current password"},
		{"too short", "correct horse battery", "short", iam.CodePasswordTooShort},
		{"on the common list", "correct horse battery", "passwordpassword", iam.CodePasswordBreached},
		{"the email", "correct horse battery", "ada.lovelace@example.com", iam.CodePasswordIsEmail},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := policy.CheckChange(tc.current, tc.next, "ada.lovelace@example.com")
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := errs.As(err)
			if e.Kind != errs.KindInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "new_password" ||
				(e.Fields[0].Code != tc.want && e.Fields[0].Message != tc.want) {
				t.Fatalf("got %+v, want one new_password field error %q", e, tc.want)
			}
		})
	}
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	policy := iam.PasswordPolicy{Min: 12, Max: 128}
	org := uuid.New()
	cases := []struct {
		name   string
		build  func() error
		fields []string
	}{
		{"region ok", func() error {
			_, err := iam.NewRegion(iam.RegionFields{Name: ptr("US East"), Code: ptr("us-east")}, now)
			return err
		}, nil},
		{"region code pattern", func() error {
			_, err := iam.NewRegion(iam.RegionFields{Name: ptr("US East"), Code: ptr("US_East")}, now)
			return err
		}, []string{"code"}},
		{"region code too short and blank name", func() error {
			_, err := iam.NewRegion(iam.RegionFields{Name: ptr("  "), Code: ptr("u")}, now)
			return err
		}, []string{"name", "code"}},
		{"tenant slug ok", func() error {
			_, err := iam.NewTenant(uuid.New(), iam.TenantFields{Name: ptr("Acme"), Slug: ptr("acme-2")}, now)
			return err
		}, nil},
		{"tenant slug trailing dash", func() error {
			_, err := iam.NewTenant(uuid.New(), iam.TenantFields{Name: ptr("Acme"), Slug: ptr("acme-")}, now)
			return err
		}, []string{"slug"}},
		{"tenant slug too long", func() error {
			_, err := iam.NewTenant(uuid.New(), iam.TenantFields{Name: ptr("Acme"), Slug: ptr(strings.Repeat("a", 64))}, now)
			return err
		}, []string{"slug"}},
		{"organization domain", func() error {
			_, err := iam.NewOrganization(uuid.New(), iam.OrganizationFields{Name: ptr("Eng"), Slug: ptr("eng"), Domain: ptr("not a domain")}, now)
			return err
		}, []string{"domain"}},
		{"organization name too long", func() error {
			_, err := iam.NewOrganization(uuid.New(), iam.OrganizationFields{Name: ptr(strings.Repeat("n", 101)), Slug: ptr("eng")}, now)
			return err
		}, []string{"name"}},
		{"workspace description too long", func() error {
			_, err := iam.NewWorkspace(org, iam.WorkspaceFields{Name: ptr("Prod"), Slug: ptr("prod"), Description: ptr(strings.Repeat("d", 1001))}, now)
			return err
		}, []string{"description"}},
		{"user every problem at once", func() error {
			_, err := iam.NewUser(org, iam.UserFields{Email: ptr("nope"), FirstName: ptr(strings.Repeat("f", 101))}, "short", policy, now)
			return err
		}, []string{"email", "first_name", "password"}},
		{"user password is the email", func() error {
			_, err := iam.NewUser(org, iam.UserFields{Email: ptr("long.address@example.com")}, "LONG.address@example.com", policy, now)
			return err
		}, []string{"password"}},
		{"role name pattern", func() error {
			_, err := iam.NewRole(iam.RoleScope{}, iam.RoleFields{Name: ptr("Release Manager"), Tier: ptr(3)}, now)
			return err
		}, []string{"name"}},
		{"role tier range and missing", func() error {
			_, err := iam.NewRole(iam.RoleScope{}, iam.RoleFields{Name: ptr("ops"), Tier: ptr(6)}, now)
			return err
		}, []string{"tier"}},
		{"role tier required", func() error {
			_, err := iam.NewRole(iam.RoleScope{}, iam.RoleFields{Name: ptr("ops")}, now)
			return err
		}, []string{"tier"}},
		{"permission parts", func() error {
			_, err := iam.NewPermission("Report", "1publish", nil, now)
			return err
		}, []string{"resource", "action"}},
		{"group blank name", func() error {
			_, err := iam.NewGroup(org, iam.GroupFields{Name: ptr("")}, now)
			return err
		}, []string{"name"}},
		{"control characters", func() error {
			_, err := iam.NewGroup(org, iam.GroupFields{Name: ptr("sre\x00")}, now)
			return err
		}, []string{"name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := fieldsOf(t, tc.build())
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Fatalf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}

func TestUserIsCreatedNormalised(t *testing.T) {
	t.Parallel()
	u, err := iam.NewUser(uuid.New(), iam.UserFields{Email: ptr(" Ada@Example.com"), FirstName: ptr(" Ada ")}, "a long enough password", iam.PasswordPolicy{Min: 12, Max: 128}, now)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "ada@example.com" || u.FirstName != "Ada" || u.Status != iam.StatusCreated || u.PasswordHash != "" {
		t.Fatalf("%+v", u)
	}
	u.LockedUntil, u.FailedLoginCount = ptr(now.Add(time.Hour)), 5
	u.SetPassword("$argon2id$...", now)
	if u.LockedUntil != nil || u.FailedLoginCount != 0 || u.PasswordChangedAt == nil {
		t.Fatalf("SetPassword must clear the lockout: %+v", u)
	}
}

func TestPatchesNeedAField(t *testing.T) {
	t.Parallel()
	patches := map[string]func() error{
		"region":       func() error { return (&iam.Region{}).Apply(iam.RegionFields{}, now) },
		"tenant":       func() error { return (&iam.Tenant{}).Apply(iam.TenantFields{}, now) },
		"organization": func() error { return (&iam.Organization{}).Apply(iam.OrganizationFields{}, now) },
		"workspace":    func() error { return (&iam.Workspace{}).Apply(iam.WorkspaceFields{}, now) },
		"user":         func() error { return (&iam.User{}).Apply(iam.UserFields{}, now) },
		"role":         func() error { return (&iam.Role{}).Apply(iam.RoleFields{}, now) },
		"group":        func() error { return (&iam.Group{}).Apply(iam.GroupFields{}, now) },
	}
	for name, apply := range patches {
		if f := fieldsOf(t, apply()); len(f) != 1 || f[0] != "body" {
			t.Errorf("%s: empty patch fields %v", name, f)
		}
	}
	o := &iam.Organization{Domain: ptr("eng.example.com")}
	if err := o.Apply(iam.OrganizationFields{SetDomain: true}, now); err != nil || o.Domain != nil {
		t.Fatalf("null domain clears it: %v %v", err, o.Domain)
	}
}
