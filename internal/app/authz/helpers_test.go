package authz_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	core "github.com/telemetryflow/core"
	"github.com/telemetryflow/core/internal/platform/contract"
)

// operations are the operations of the contract: the matrices below walk every one of them.
func operations(t *testing.T) []contract.Operation {
	t.Helper()
	ops, err := contract.Parse(core.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// send calls op at path as the bearer of token, with body as JSON when the operation takes one
// (or body is given), and answers the status, the problem code and the raw answer.
func send(t *testing.T, baseURL, token string, op contract.Operation, path string, body any) (int, string, string) {
	t.Helper()
	var r io.Reader
	if body != nil || op.HasBody {
		raw, _ := json.Marshal(body)
		r = strings.NewReader(string(raw))
	}
	req, _ := http.NewRequest(strings.ToUpper(op.Method), baseURL+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(raw, &p)
	return resp.StatusCode, p.Code, string(raw)
}
