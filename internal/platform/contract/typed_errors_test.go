package contract_test

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	core "github.com/telemetryflow/core"
	"github.com/telemetryflow/core/internal/platform/contract"
)

// problemResponses is the component response each error status references: one per status,
// each with the one problem schema, so a generated client has a typed error per status.
var problemResponses = map[int]string{
	400: "BadRequest",
	401: "Unauthorized",
	403: "Forbidden",
	404: "NotFound",
	409: "Conflict",
	413: "PayloadTooLarge",
	415: "UnsupportedMediaType",
	422: "UnprocessableEntity",
	429: "TooManyRequests",
	503: "ServiceUnavailable",
}

// refusals are the error statuses an operation can answer beyond those its shape implies
// (see expectedErrors): the rules of the application that can refuse it. Adding an operation
// that one of these rules can refuse means adding it here, next to the rule's name.
var refusals = map[string][]int{
	// Public auth endpoints: wrong credentials; the per-address login limit; argon2id capacity.
	"login":        {401, 429, 503},
	"refreshToken": {401},
	// Wrong current passwords count towards the account lockout (429 account_locked); hashing (503).
	"changeOwnPassword": {429, 503},
	// API keys: 403 permission_escalation (a permission the caller does not hold, or outside
	// the caller's own narrowed credential); 409 too_many_api_keys.
	"createApiKey": {403, 409},
	// The second factor (docs/mfa-and-sessions.md): 409 for a factor in the wrong state, 429
	// while the account is locked, 503 when secrets cannot be sealed or the hasher is full.
	"verifyMfa":               {401, 429, 503},
	"enrolTotp":               {409, 503},
	"confirmTotp":             {409, 503},
	"disableTotp":             {409, 429, 503},
	"regenerateRecoveryCodes": {409, 429, 503},

	// 409 already_exists (a unique code, slug, email or name); 422 reference_not_found (an id
	// in the body that names nothing the caller can see) and the scope mismatches.
	"createRegion":       {409},
	"createTenant":       {409, 422},
	"createOrganization": {409, 422},
	"createWorkspace":    {409, 422},
	"createUser":         {409, 422, 503}, // 503: the new password is hashed
	"createRole":         {409, 422},
	"createPermission":   {409},
	"createGroup":        {409, 422},

	// 409 already_exists on a renamed unique field; system_role_immutable,
	// system_permission_immutable.
	"updateRegion":       {409},
	"updateTenant":       {409},
	"updateOrganization": {409},
	"updateWorkspace":    {409},
	"updateUser":         {409},
	"updateRole":         {409},
	"updatePermission":   {409},
	"updateGroup":        {409},

	// 409 has_children, system_role_immutable, system_permission_immutable,
	// last_super_administrator, illegal_transition. Workspaces have no children.
	"deleteRegion":       {409},
	"deleteTenant":       {409},
	"deleteOrganization": {409},
	"deleteUser":         {409},
	"deleteRole":         {409},
	"deletePermission":   {409},
	"deleteGroup":        {409},

	// The user lifecycle: 409 illegal_transition, last_super_administrator.
	"activateUser":      {409},
	"deactivateUser":    {409},
	"resetUserPassword": {503}, // the new password is hashed

	// Grants: 409 already_exists (or the role is a system role); 422 reference_not_found,
	// role_scope_mismatch, group_organization_mismatch. Revocations: 409
	// last_super_administrator or a system role.
	"assignUserRole":       {409, 422},
	"revokeUserRole":       {409},
	"revokeAllUserRoles":   {409}, // the last super administrator keeps the role
	"grantUserPermission":  {409, 422},
	"addRolePermission":    {409, 422},
	"removeRolePermission": {409},
	"addGroupMember":       {409, 422},
	"removeGroupMember":    {409},
	"addGroupRole":         {409, 422},
	"removeGroupRole":      {409},

	// Service accounts are users: 409 already_exists, illegal_transition, last_super_administrator;
	// 422 reference_not_found (the organization).
	"createServiceAccount": {409, 422},
	"updateServiceAccount": {409},
	"deleteServiceAccount": {409},

	// OAuth2 (RFC 6749 §5.2): 400 and 401 (invalid_client) are the protocol's own
	// {error, error_description} bodies (x-protocol-error); 429 the client authentication's
	// per-address limit, shared with logins.
	"oauth2Token":      {401, 429},
	"oauth2Introspect": {401, 429},
	"oauth2Revoke":     {401, 429},

	// The audit store is down or slow: 503 service_unavailable.
	"listAuditLogs":        {503},
	"getAuditLog":          {503},
	"getAuditStats":        {503},
	"getAuditUserActivity": {503},
	"exportAuditLogs":      {503},
}

// noNotFound are operations with a path parameter that never answer 404, and why.
var noNotFound = map[string]string{
	"getAuditUserActivity": "counts the events about any user id in the caller's scope; an unknown id has none",
}

// expectedErrors is the set of error statuses an operation must list, no more and no less:
// 400 when it takes any input (parameters are validated), 401 unless public, 403 when it
// needs a permission, 404 when it addresses a resource by path, 413 and 415 when it takes a
// body, plus the refusals of its rules.
func expectedErrors(id string, hasParams, hasPathParams, hasBody bool, req contract.Requirement) []int {
	want := map[int]bool{}
	for _, s := range refusals[id] {
		want[s] = true
	}
	want[400] = want[400] || hasParams || hasBody
	want[401] = want[401] || !req.Public
	want[403] = want[403] || req.Permission != ""
	if _, exempt := noNotFound[id]; hasPathParams && !exempt {
		want[404] = true
	}
	if hasBody {
		want[413], want[415] = true, true
	}
	var out []int
	for s, ok := range want {
		if ok {
			out = append(out, s)
		}
	}
	sort.Ints(out)
	return out
}

// typedErrorProblems checks every operation of spec against expectedErrors and returns what
// is wrong, one line per operation.
func typedErrorProblems(t *testing.T, spec []byte) []string {
	t.Helper()
	reqs, err := contract.Requirements(spec)
	if err != nil {
		t.Fatal(err)
	}
	doc := loadSpec(t, spec)
	var problems []string
	for name, r := range doc.Components.Responses {
		problems = append(problems, problemShape("components/responses/"+name, r)...)
	}
	for status, name := range problemResponses {
		r := doc.Components.Responses[name]
		if r == nil {
			problems = append(problems, fmt.Sprintf("components/responses/%s (for %d) is missing", name, status))
			continue
		}
		for _, h := range problemHeaders[status] {
			if r.Value.Headers[h] == nil {
				problems = append(problems, fmt.Sprintf("components/responses/%s must document the %s header", name, h))
			}
		}
	}
	seen := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			seen[op.OperationID] = true
			where := fmt.Sprintf("%s %s (%s)", method, path, op.OperationID)
			hasParams, hasPathParams := false, false
			for _, p := range slices.Concat(item.Parameters, op.Parameters) {
				hasParams = true
				hasPathParams = hasPathParams || p.Value.In == openapi3.ParameterInPath
			}
			want := expectedErrors(op.OperationID, hasParams, hasPathParams, op.RequestBody != nil, reqs[op.OperationID])
			var got []int
			for code, r := range op.Responses.Map() {
				if code == "default" {
					if r.Ref != "#/components/responses/Problem" {
						problems = append(problems, where+": default must reference #/components/responses/Problem")
					}
					continue
				}
				status, err := strconv.Atoi(code)
				if err != nil {
					problems = append(problems, where+": response "+code+" is not a status code (list each status)")
					continue
				}
				if status < 400 {
					continue
				}
				got = append(got, status)
				if protocol, _ := r.Value.Extensions["x-protocol-error"].(bool); protocol && (status == 400 || status == 401) {
					continue // a body the protocol fixes (OAuth2), kept by ogenspec
				}
				if name, ok := problemResponses[status]; !ok || r.Ref != "#/components/responses/"+name {
					problems = append(problems, fmt.Sprintf("%s: %d must reference #/components/responses/%s", where, status, problemResponses[status]))
				}
			}
			if op.Responses.Default() == nil {
				problems = append(problems, where+": no default response")
			}
			sort.Ints(got)
			if !slices.Equal(got, want) {
				problems = append(problems, fmt.Sprintf("%s: lists error statuses %v, the rules expect %v "+
					"(if a rule of the application can refuse it with another status, add it to refusals in typed_errors_test.go)",
					where, got, want))
			}
		}
	}
	for id := range refusals {
		if !seen[id] {
			problems = append(problems, "refusals names "+id+", which is not an operation")
		}
	}
	for id := range noNotFound {
		if !seen[id] {
			problems = append(problems, "noNotFound names "+id+", which is not an operation")
		}
	}
	sort.Strings(problems)
	return problems
}

// problemHeaders are the headers the server sets on a status (problem.go).
var problemHeaders = map[int][]string{
	401: {"Www-Authenticate", "Retry-After"}, // Retry-After: a login refused during a lockout
	429: {"Retry-After"},
	503: {"Retry-After"},
}

// problemShape requires an error response to be problem+json with the one problem schema.
func problemShape(where string, r *openapi3.ResponseRef) []string {
	content := r.Value.Content
	if len(content) != 1 || content["application/problem+json"] == nil ||
		content["application/problem+json"].Schema.Ref != "#/components/schemas/Problem" {
		return []string{where + ": must have only application/problem+json with #/components/schemas/Problem"}
	}
	return nil
}

// Each operation lists exactly the problem statuses it can answer, each referencing the
// response for that status, so clients generated in any language get typed errors.
func TestOperationsListTheirTypedErrors(t *testing.T) {
	t.Parallel()
	holds(t, typedErrorProblems)
}

// The rules catch an operation that leaves out a status its shape implies, or adds one no
// rule explains.
func TestTypedErrorRulesCatchOmissions(t *testing.T) {
	t.Parallel()
	base := string(core.OpenAPI)
	mutations := []struct {
		name, op, drop, add string
	}{
		{name: "no 403 with x-permission", op: "getRegion", drop: "403"},
		{name: "no 401 when authenticated", op: "getMe", drop: "401"},
		{name: "no 404 with a path parameter", op: "getUser", drop: "404"},
		{name: "no 400 with parameters", op: "listUsers", drop: "400"},
		{name: "no 415 with a body", op: "createGroup", drop: "415"},
		{name: "no 429 on login", op: "login", drop: "429"},
		{name: "a 409 no rule explains", op: "getRole", add: "409"},
	}
	specs := map[string]string{}
	for _, m := range mutations {
		specs[m.name] = mutateResponses(t, base, m.op, m.drop, m.add)
	}
	catches(t, typedErrorProblems, "TestOperationsListTheirTypedErrors", specs)
}

// mutateResponses removes the response drop from (or adds the problem response add to) the
// operation id's responses, in the block-style contract text.
func mutateResponses(t *testing.T, spec, id, drop, add string) string {
	t.Helper()
	start := strings.Index(spec, "operationId: "+id+"\n")
	if start < 0 {
		t.Fatalf("no operation %s", id)
	}
	rel := strings.Index(spec[start:], "        default:\n")
	if rel < 0 {
		t.Fatalf("%s: no default response", id)
	}
	at := start + rel
	if add != "" {
		status, _ := strconv.Atoi(add)
		return spec[:at] + "        '" + add + "':\n          $ref: '#/components/responses/" + problemResponses[status] + "'\n" + spec[at:]
	}
	entry := "        '" + drop + "':\n          $ref: '#/components/responses/"
	i := strings.Index(spec[start:at], entry)
	if i < 0 {
		t.Fatalf("%s: no %s response", id, drop)
	}
	i += start
	end := i + len(entry) + strings.Index(spec[i+len(entry):], "\n") + 1
	return spec[:i] + spec[end:]
}

func loadSpec(t *testing.T, spec []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
