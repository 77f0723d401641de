package contract_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	core "github.com/telemetryflow/core"
)

// exampleOptions validate an example as strictly as the server's own decoding: formats
// included (kin-openapi checks none but date and date-time unless told).
var exampleOptions = []openapi3.SchemaValidationOption{
	openapi3.MultiErrors(),
	openapi3.EnableFormatValidation(),
	openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562)),
}

// exampleProblems checks that every request body and every success response of spec has at
// least one example, and that each example validates against its schema without any
// property the schema does not declare (a misspelt field would otherwise pass, since the
// schemas allow additional properties).
func exampleProblems(t *testing.T, spec []byte) []string {
	t.Helper()
	doc := loadSpec(t, spec)
	var problems []string
	check := func(where string, content openapi3.Content, asRequest bool) {
		if len(content) == 0 {
			return
		}
		for mt, media := range content {
			at := where + " " + mt
			examples := map[string]any{}
			if media.Example != nil {
				examples["example"] = media.Example
			}
			for name, ex := range media.Examples {
				examples[name] = ex.Value.Value
			}
			if len(examples) == 0 {
				problems = append(problems, at+": no example")
			}
			opts := append([]openapi3.SchemaValidationOption{openapi3.VisitAsResponse()}, exampleOptions...)
			if asRequest {
				opts[0] = openapi3.VisitAsRequest()
			}
			for name, v := range examples {
				if err := media.Schema.Value.VisitJSON(v, opts...); err != nil {
					problems = append(problems, fmt.Sprintf("%s: example %s does not match the schema: %v", at, name, err))
				}
				for _, extra := range undeclared(media.Schema.Value, v, "") {
					problems = append(problems, fmt.Sprintf("%s: example %s has %s, which the schema does not declare", at, name, extra))
				}
			}
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := fmt.Sprintf("%s %s (%s)", method, path, op.OperationID)
			if op.RequestBody != nil {
				check(where+" request", op.RequestBody.Value.Content, true)
			}
			for code, r := range op.Responses.Map() {
				if len(code) == 3 && code[0] == '2' {
					check(where+" "+code, r.Value.Content, false)
				}
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// undeclared names the properties of v, at any depth, that s does not declare.
func undeclared(s *openapi3.Schema, v any, at string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if len(s.Properties) == 0 {
			return nil // a free-form object
		}
		for k, val := range x {
			p, ok := s.Properties[k]
			if !ok {
				out = append(out, strings.TrimPrefix(at+"."+k, "."))
				continue
			}
			out = append(out, undeclared(p.Value, val, at+"."+k)...)
		}
	case []any:
		if s.Items != nil {
			for i, e := range x {
				out = append(out, undeclared(s.Items.Value, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return out
}

// Every request body and success response shows an example that is valid for its schema.
func TestEveryBodyHasAValidExample(t *testing.T) {
	t.Parallel()
	holds(t, exampleProblems)
}

// The check notices a missing example, an invalid one and a misspelt property.
func TestExampleRulesCatchMistakes(t *testing.T) {
	t.Parallel()
	base := string(core.OpenAPI)
	mutations := map[string][2]string{
		"missing":      {"            examples:\n              RegionCreate:\n                $ref: '#/components/examples/RegionCreate'\n", ""},
		"invalid uuid": {"        region_id: 0190a8e2-5b1c-7a3e-8f21-3c4d5e6f7a01\n    TenantUpdate:", "        region_id: not-a-uuid\n    TenantUpdate:"},
		"wrong enum":   {"        status: created\n", "        status: sleeping\n"},
		"misspelt":     {"        last_name: King\n", "        lastname: King\n"},
		"bad pattern":  {"        code: us-east\n        description: Virginia data centres.\n    RegionUpdate:", "        code: US East\n        description: Virginia data centres.\n    RegionUpdate:"},
	}
	specs := map[string]string{}
	for name, m := range mutations {
		if !strings.Contains(base, m[0]) {
			t.Fatalf("%s: the contract no longer contains %q", name, m[0])
		}
		specs[name] = strings.Replace(base, m[0], m[1], 1)
	}
	catches(t, exampleProblems, "TestEveryBodyHasAValidExample", specs)
}

// The contract is valid OpenAPI for kin-openapi too, schema-level examples included.
func TestContractValidates(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t, core.OpenAPI)
	if err := doc.Validate(t.Context(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
}
