package main

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	core "github.com/telemetryflow/core"
)

const spec = `openapi: 3.0.3
paths:
  /x/{id}:
    get:
      operationId: getX
      description: |
        Kept as written.
      responses:
        '200':
          description: OK
        '404':
          $ref: '#/components/responses/NotFound'
        default:
          $ref: '#/components/responses/Problem'
components:
  responses:
    Problem:
      description: An error
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    NotFound:
      description: Not found
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Teapot:
      description: Something else
      content:
        application/json:
          schema:
            type: string
`

func TestStripDropsOnlyTypedProblemResponses(t *testing.T) {
	t.Parallel()
	out, err := Strip([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Description string         `yaml:"description"`
			Responses   map[string]any `yaml:"responses"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	op := doc.Paths["/x/{id}"]["get"]
	if _, ok := op.Responses["404"]; ok {
		t.Error("404 kept")
	}
	for _, code := range []string{"200", "default"} {
		if _, ok := op.Responses[code]; !ok {
			t.Errorf("%s dropped", code)
		}
	}
	if op.Description != "Kept as written.\n" {
		t.Errorf("description changed: %q", op.Description)
	}
}

func TestStripRefusesOtherErrorResponses(t *testing.T) {
	t.Parallel()
	for name, resp := range map[string]string{
		"non-problem component": "          $ref: '#/components/responses/Teapot'\n",
		"inline":                "          description: Not found\n",
	} {
		s := strings.Replace(spec, "          $ref: '#/components/responses/NotFound'\n", resp, 1)
		if _, err := Strip([]byte(s)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The real contract strips cleanly: every error status it lists is a problem response.
func TestStripAcceptsTheContract(t *testing.T) {
	t.Parallel()
	out, err := Strip(core.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "#/components/responses/NotFound") {
		t.Error("typed problem responses left in")
	}
}
