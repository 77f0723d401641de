package contract_test

import (
	"reflect"
	"strings"
	"testing"

	core "github.com/telemetryflow/core"
	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/oas"
)

// Every operation declares its access, and the generated server serves exactly the contract's
// operations.
func TestEveryOperationDeclaresAccess(t *testing.T) {
	t.Parallel()
	ops, err := contract.Parse(core.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	handler := reflect.TypeFor[oas.Handler]()
	if got, want := len(ops), handler.NumMethod()-1; got != want { // minus NewError
		t.Fatalf("contract has %d operations, generated Handler has %d: regenerate oas/", got, want)
	}
	for _, op := range ops {
		name := strings.ToUpper(op.ID[:1]) + op.ID[1:]
		if _, ok := handler.MethodByName(name); !ok {
			t.Errorf("operation %s has no generated handler method", op.ID)
		}
	}
}

func TestParseRejectsUndeclaredOperations(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"none declared": `
paths:
  /x:
    get:
      operationId: x`,
		"two declared": `
paths:
  /x:
    get:
      operationId: x
      x-public: true
      x-authenticated: true
      security: []`,
		"unknown permission": `
paths:
  /x:
    get:
      operationId: x
      x-permission: spaceship:launch`,
		"public without empty security": `
paths:
  /x:
    get:
      operationId: x
      x-public: true`,
		"empty security but not public": `
paths:
  /x:
    get:
      operationId: x
      x-permission: user:read
      security: []`,
	}
	for name, spec := range cases {
		if _, err := contract.Parse([]byte(spec)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	ok := `
paths:
  /x:
    get:
      operationId: x
      x-permission: user:read
    post:
      operationId: y
      x-public: true
      security: []`
	reqs, err := contract.Requirements([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if reqs["x"].Permission != "user:read" || !reqs["y"].Public {
		t.Fatalf("got %+v", reqs)
	}
}
