package contract_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contractProxy forwards to a server and checks every exchange against the contract, as an
// independent implementation (kin-openapi) reads it: the request must match its operation,
// and the response must match, with a status the operation lists itself (a status only
// `default` covers is not a typed error, so it counts as a disagreement).
type contractProxy struct {
	URL    string
	router routers.Router

	mu        sync.Mutex
	exchanges []string
	problems  []string
}

func newContractProxy(t *testing.T, spec []byte, target string) *contractProxy {
	t.Helper()
	doc := loadSpec(t, spec)
	doc.Servers = nil // match paths on any host: the proxy's address is not in the contract
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &contractProxy{router: router}
	forward := httputil.NewSingleHostReverseProxy(u)
	forward.ModifyResponse = p.checkResponse
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, err := p.checkRequest(r)
		if err != nil {
			p.fail("%s %s: request: %v", r.Method, r.URL.Path, err)
		}
		if in != nil {
			r = r.WithContext(context.WithValue(r.Context(), inputKey{}, in))
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

type inputKey struct{}

// checkRequest validates r (leaving its body readable for the server) and returns the
// input the response is checked with; nil when r matches no operation.
func (p *contractProxy) checkRequest(r *http.Request) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := p.router.FindRoute(r)
	if err != nil {
		return nil, fmt.Errorf("no operation: %w", err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request: r.Clone(r.Context()), PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	in.Request.Body = io.NopCloser(bytes.NewReader(body))
	return in, openapi3filter.ValidateRequest(r.Context(), in)
}

func (p *contractProxy) checkResponse(resp *http.Response) error {
	in, _ := resp.Request.Context().Value(inputKey{}).(*openapi3filter.RequestValidationInput)
	if in == nil {
		return nil // the request matched no operation; already reported
	}
	op := in.Route.Operation
	p.mu.Lock()
	p.exchanges = append(p.exchanges, op.OperationID+" "+strconv.Itoa(resp.StatusCode))
	p.mu.Unlock()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	where := fmt.Sprintf("%s %d", op.OperationID, resp.StatusCode)
	if op.Responses.Status(resp.StatusCode) == nil {
		p.fail("%s: the operation does not list this status", where)
	}
	err = openapi3filter.ValidateResponse(resp.Request.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		p.fail("%s: response: %v", where, err)
	}
	return nil
}

func (p *contractProxy) fail(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
}

// Exchanges lists "operationId status" for each exchange, in order.
func (p *contractProxy) Exchanges() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.exchanges...)
}

// Problems lists every disagreement seen.
func (p *contractProxy) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}
