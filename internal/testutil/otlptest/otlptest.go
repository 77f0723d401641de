// Package otlptest runs a real OTLP receiver in the test process, over gRPC (the collector
// services of go.opentelemetry.io/proto/otlp on a grpc.Server) or HTTP/protobuf, on a free
// loopback port, and keeps what it receives for assertions.
package otlptest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// Receiver is a running OTLP receiver.
type Receiver struct {
	// Endpoint is the value for OTEL_EXPORTER_OTLP_ENDPOINT ("http://127.0.0.1:<port>"; the
	// http scheme makes the gRPC exporters connect without TLS).
	Endpoint string
	// Protocol is the value for OTEL_EXPORTER_OTLP_PROTOCOL.
	Protocol string

	mu      sync.Mutex
	traces  []*coltrace.ExportTraceServiceRequest
	metrics []*colmetrics.ExportMetricsServiceRequest
}

// StartGRPC serves the OTLP trace and metrics collector services over gRPC until the test ends.
func StartGRPC(t testing.TB) *Receiver {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &Receiver{Endpoint: "http://" + l.Addr().String(), Protocol: "grpc"}
	srv := grpc.NewServer()
	coltrace.RegisterTraceServiceServer(srv, traceService{r: r})
	colmetrics.RegisterMetricsServiceServer(srv, metricsService{r: r})
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)
	return r
}

// StartHTTP serves OTLP/HTTP with protobuf bodies on /v1/traces and /v1/metrics (anything else
// is 404, so an exporter posting to the wrong path delivers nothing) until the test ends.
func StartHTTP(t testing.TB) *Receiver {
	t.Helper()
	r := &Receiver{Protocol: "http/protobuf"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", func(w http.ResponseWriter, req *http.Request) {
		var in coltrace.ExportTraceServiceRequest
		if decode(w, req, &in) {
			r.addTraces(&in)
			reply(w, &coltrace.ExportTraceServiceResponse{})
		}
	})
	mux.HandleFunc("POST /v1/metrics", func(w http.ResponseWriter, req *http.Request) {
		var in colmetrics.ExportMetricsServiceRequest
		if decode(w, req, &in) {
			r.addMetrics(&in)
			reply(w, &colmetrics.ExportMetricsServiceResponse{})
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	r.Endpoint = srv.URL
	return r
}

func decode(w http.ResponseWriter, req *http.Request, m proto.Message) bool {
	if ct := req.Header.Get("Content-Type"); ct != "application/x-protobuf" {
		http.Error(w, "content type "+ct, http.StatusUnsupportedMediaType)
		return false
	}
	body, err := io.ReadAll(req.Body)
	if err == nil {
		err = proto.Unmarshal(body, m)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func reply(w http.ResponseWriter, m proto.Message) {
	out, _ := proto.Marshal(m)
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

type traceService struct {
	coltrace.UnimplementedTraceServiceServer
	r *Receiver
}

func (s traceService) Export(_ context.Context, in *coltrace.ExportTraceServiceRequest) (*coltrace.ExportTraceServiceResponse, error) {
	s.r.addTraces(in)
	return &coltrace.ExportTraceServiceResponse{}, nil
}

type metricsService struct {
	colmetrics.UnimplementedMetricsServiceServer
	r *Receiver
}

func (s metricsService) Export(_ context.Context, in *colmetrics.ExportMetricsServiceRequest) (*colmetrics.ExportMetricsServiceResponse, error) {
	s.r.addMetrics(in)
	return &colmetrics.ExportMetricsServiceResponse{}, nil
}

func (r *Receiver) addTraces(in *coltrace.ExportTraceServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.traces = append(r.traces, in)
}

func (r *Receiver) addMetrics(in *colmetrics.ExportMetricsServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.metrics = append(r.metrics, in)
}

// Span is one received span, flattened with its resource.
type Span struct {
	Name     string
	Scope    string
	Resource map[string]string
	// Attributes holds the span's string and integer attributes, as text.
	Attributes map[string]string
}

// Spans returns every span received so far.
func (r *Receiver) Spans() []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Span
	for _, req := range r.traces {
		for _, rs := range req.ResourceSpans {
			res := attrs(rs.Resource)
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					a := map[string]string{}
					for _, kv := range s.Attributes {
						a[kv.Key] = text(kv.Value.GetStringValue(), kv.Value.GetIntValue())
					}
					out = append(out, Span{Name: s.Name, Scope: ss.GetScope().GetName(), Resource: res, Attributes: a})
				}
			}
		}
	}
	return out
}

// Metric is one received metric (any kind), flattened with its resource.
type Metric struct {
	Name     string
	Scope    string
	Resource map[string]string
}

// Metrics returns every metric received so far.
func (r *Receiver) Metrics() []Metric {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Metric
	for _, req := range r.metrics {
		for _, rm := range req.ResourceMetrics {
			res := attrs(rm.Resource)
			for _, sm := range rm.ScopeMetrics {
				for _, m := range sm.Metrics {
					out = append(out, Metric{Name: m.Name, Scope: sm.GetScope().GetName(), Resource: res})
				}
			}
		}
	}
	return out
}

func attrs(res *resourcepb.Resource) map[string]string {
	out := map[string]string{}
	for _, kv := range res.GetAttributes() {
		out[kv.Key] = kv.Value.GetStringValue()
	}
	return out
}

func text(s string, i int64) string {
	if s != "" || i == 0 {
		return s
	}
	return strconv.FormatInt(i, 10)
}
