package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	core "github.com/telemetryflow/core"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// fuzzOperation is one operation of the contract with what seeds its requests.
type fuzzOperation struct {
	id, method, path string
	bodies           []string // the request body's examples, as JSON
	queries          []string // one query per parameter that has an example, enum or default
	// protocolErrors are the statuses the contract answers with an RFC 6749 §5.2 error
	// ({error, error_description}, x-protocol-error) rather than problem+json: OAuth2 clients
	// expect that shape from the token, introspection and revocation endpoints.
	protocolErrors map[int]bool
}

// contractOperations reads every operation of openapi.yaml with its examples, sorted by id so
// that the fuzzer's operation index means the same operation in every run.
func contractOperations(f *testing.F) []fuzzOperation {
	doc, err := openapi3.NewLoader().LoadFromData(core.OpenAPI)
	if err != nil {
		f.Fatal(err)
	}
	var ops []fuzzOperation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			fo := fuzzOperation{id: op.OperationID, method: method, path: path, protocolErrors: protocolErrors(op)}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, media := range op.RequestBody.Value.Content {
					for _, ex := range media.Examples {
						if b, err := json.Marshal(ex.Value.Value); err == nil {
							fo.bodies = append(fo.bodies, string(b))
						}
					}
				}
			}
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value == nil || p.Value.In != "query" {
					continue
				}
				for _, v := range queryValues(p.Value) {
					fo.queries = append(fo.queries, url.Values{p.Value.Name: {v}}.Encode())
				}
			}
			ops = append(ops, fo)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	return ops
}

func protocolErrors(op *openapi3.Operation) map[int]bool {
	out := map[int]bool{}
	for code, r := range op.Responses.Map() {
		if r.Value == nil {
			continue
		}
		if protocol, _ := r.Value.Extensions["x-protocol-error"].(bool); protocol {
			var status int
			if _, err := fmt.Sscan(code, &status); err == nil {
				out[status] = true
			}
		}
	}
	return out
}

// wellFormedError reports whether an error answer has the shape the contract gives op's
// status: problem+json, or a §5.2 JSON object naming the error where the contract says so.
func wellFormedError(op fuzzOperation, status int, ctype, body string) bool {
	if ctype == "application/problem+json" {
		return true
	}
	if !op.protocolErrors[status] || !strings.HasPrefix(ctype, "application/json") {
		return false
	}
	var e struct {
		Error string `json:"error"`
	}
	return json.Unmarshal([]byte(body), &e) == nil && e.Error != ""
}

func queryValues(p *openapi3.Parameter) []string {
	var out []string
	if p.Example != nil {
		out = append(out, fmt.Sprint(p.Example))
	}
	if s := p.Schema; s != nil && s.Value != nil {
		for _, e := range s.Value.Enum {
			out = append(out, fmt.Sprint(e))
		}
		if s.Value.Default != nil {
			out = append(out, fmt.Sprint(s.Value.Default))
		}
	}
	return out
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// FuzzContract drives every operation of openapi.yaml through the real handler, on SQLite and
// PostgreSQL, with mutated path parameters, queries and bodies seeded from the contract's
// examples, as the bootstrap super administrator (who may call everything), without a token
// and with a malformed one. Whatever the input: no panic, no 5xx, and every error is
// problem+json. The administrator's session may end (logout is an operation too): a 401 with
// the administrator's token logs in again.
func FuzzContract(f *testing.F) {
	ops := contractOperations(f)
	type target struct {
		srv   *apitest.Server
		h     http.Handler
		token string
	}
	var targets []*target
	var victim string
	for _, dia := range dbtest.Dialects {
		srv := apitest.Start(f, dia, apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "100000"))
		admin, tok := srv.Login(f, apitest.AdminEmail, apitest.AdminPassword)
		// A user to act on: the administrator's own id is never seeded, so the fuzzer does not
		// spend its time locking itself out.
		u, err := admin.CreateUser(context.Background(), &oas.UserCreate{Email: "fuzz-victim@example.com", Password: "fuzz-victim-password-1",
			FirstName: "Fuzz", LastName: "Victim", OrganizationID: tok.User.OrganizationID})
		if err != nil {
			f.Fatal(err)
		}
		if victim == "" {
			victim = u.ID.String()
		}
		targets = append(targets, &target{srv: srv, h: srv.Service.Handler(), token: tok.AccessToken})
	}
	args := []string{victim, "0190a8e2-5b1c-7a3e-8f21-3c4d5e6f7a05", "00000000-0000-0000-0000-000000000000", "x", ""}
	for i, op := range ops {
		bodies := append([]string{""}, op.bodies...)
		queries := append([]string{""}, op.queries...)
		for _, body := range bodies {
			for _, q := range queries {
				for _, arg := range args[:2] {
					f.Add(uint8(i), arg, q, []byte(body), uint8(0))
				}
			}
		}
		f.Add(uint8(i), args[2], "limit=0&cursor=%ff", []byte(`{"a":`), uint8(1))
		f.Add(uint8(i), args[3], "", []byte("\x00\xff"), uint8(2))
	}
	f.Fuzz(func(t *testing.T, opIndex uint8, arg, query string, body []byte, auth uint8) {
		op := ops[int(opIndex)%len(ops)]
		path := pathParam.ReplaceAllLiteralString(op.path, url.PathEscape(arg))
		u := &url.URL{Path: path, RawQuery: query}
		if p, err := url.PathUnescape(path); err == nil {
			u.Path, u.RawPath = p, path
		}
		for i, tg := range targets {
			status, ctype, resp := serveFuzz(tg.h, op.method, u, body, auth, tg.token)
			if status == http.StatusUnauthorized && auth%3 == 0 {
				// The session ended (logout, or a revocation of the administrator): log in again.
				_, tok := tg.srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
				tg.token = tok.AccessToken
				status, ctype, resp = serveFuzz(tg.h, op.method, u, body, auth, tg.token)
			}
			if status >= 500 || status >= 400 && !wellFormedError(op, status, ctype, resp) {
				t.Fatalf("%s: %s %s (auth %d) body %q: %d %s %s", dbtest.Dialects[i], op.method, u.String(), auth%3, body, status, ctype, resp)
			}
		}
	})
}

func serveFuzz(h http.Handler, method string, u *url.URL, body []byte, auth uint8, token string) (int, string, string) {
	req := httptest.NewRequest(method, "/", bytes.NewReader(body))
	req.URL, req.RequestURI = u, u.RequestURI()
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	switch auth % 3 {
	case 0:
		req.Header.Set("Authorization", "Bearer "+token)
	case 2:
		req.Header.Set("Authorization", "Bearer "+strings.Repeat("x.", 3))
	}
	rec := &departingClient{ResponseRecorder: httptest.NewRecorder()}
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Header().Get("Content-Type"), rec.Body.String()
}

// departingClient is a client that goes away after fuzzBodyLimit bytes of an answer, as a real
// one may: a write past that fails. Every error answer fits well within it; what it cuts short
// is the audit export, which streams the whole log — the log grows with every input, so without
// it each export cost more than the last and the fuzzer slowed to a few inputs a second.
type departingClient struct {
	*httptest.ResponseRecorder
}

const fuzzBodyLimit = 256 << 10

var errClientGone = errors.New("fuzz: the client went away")

func (c *departingClient) Write(p []byte) (int, error) {
	if c.Body.Len()+len(p) > fuzzBodyLimit {
		return 0, errClientGone
	}
	return c.ResponseRecorder.Write(p)
}

// WriteString hides the recorder's own, which would not count against the limit.
func (c *departingClient) WriteString(s string) (int, error) { return c.Write([]byte(s)) }
