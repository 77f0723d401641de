// Package telemetry sets up OpenTelemetry tracing and metrics from the standard OTEL_*
// environment variables, carries W3C trace context across process boundaries, and hands out
// tracers to the packages that start their own spans.
//
// Exporting is opt-in and never a hard dependency: without OTEL_EXPORTER_OTLP_ENDPOINT (or an
// explicit OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER) nothing leaves the process, and an
// unreachable collector only costs dropped batches and a warning. OTLP goes over HTTP/protobuf
// (the specification's default, port 4318) or gRPC (port 4317), per
// OTEL_EXPORTER_OTLP_PROTOCOL and its per-signal variants.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// DefaultServiceName is service.name unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say
// otherwise.
const DefaultServiceName = "telemetryflow-core"

// Propagator reads and writes W3C traceparent/tracestate and baggage headers. It is fixed
// rather than taken from OTEL_PROPAGATORS: W3C is what every TelemetryFlow service speaks.
var Propagator propagation.TextMapPropagator = propagation.NewCompositeTextMapPropagator(
	propagation.TraceContext{}, propagation.Baggage{})

// Config tunes New. The exporters themselves read the standard OTEL_EXPORTER_OTLP_* variables
// (endpoint, headers, timeout, compression, certificates).
type Config struct {
	ServiceVersion string
	// SpanProcessors receive every sampled span in addition to the exporter selected by the
	// environment; tests use an in-memory recorder here.
	SpanProcessors []sdktrace.SpanProcessor
}

// Telemetry holds the providers New built.
type Telemetry struct {
	TracerProvider *sdktrace.TracerProvider
	MeterProvider  metric.MeterProvider
	// TracesExporter and MetricsExporter name what was selected ("otlp" or "none"), and
	// TracesProtocol and MetricsProtocol the OTLP transport ("grpc", "http/protobuf"; empty
	// without an exporter), for the start-up log line.
	TracesExporter  string
	MetricsExporter string
	TracesProtocol  string
	MetricsProtocol string
	shutdown        []func(context.Context) error
	// exporting: spans or metrics go somewhere (an OTLP exporter, a span processor).
	exporting bool
}

var installedExporting atomic.Bool

// Exporting reports whether the installed telemetry sends spans or metrics anywhere.
// Instrumentation that would only feed unsampled spans and no-op instruments can stay off
// (sqldb): it costs allocations on every call and records nothing.
func Exporting() bool { return installedExporting.Load() }

// The OTLP transports this build ships (OTEL_EXPORTER_OTLP_PROTOCOL values).
const (
	ProtocolGRPC         = "grpc"
	ProtocolHTTPProtobuf = "http/protobuf"
)

// New builds the providers the environment asks for. Without an exporter the tracer provider
// still assigns trace ids (so logs correlate with callers' traces) but samples nothing, which
// keeps the cost to a few id allocations per request.
func New(ctx context.Context, cfg Config) (*Telemetry, error) {
	// The OTLP exporters read os.Getenv themselves, so the selection must read the same source.
	traces, metrics, err := selectExporters(os.Getenv)
	if err != nil {
		return nil, err
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(
			attribute.String("service.name", DefaultServiceName),
			attribute.String("service.version", cfg.ServiceVersion),
		),
		resource.WithTelemetrySDK(),
		// Later detectors win: the operator's OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES
		// override the defaults above.
		resource.WithFromEnv(),
	)
	if err != nil {
		return nil, fmt.Errorf("telemetry: resource: %w", err)
	}
	t := &Telemetry{TracesExporter: traces.exporter, MetricsExporter: metrics.exporter,
		TracesProtocol: traces.protocol, MetricsProtocol: metrics.protocol}

	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res), sdktrace.WithIDGenerator(idGenerator{})}
	if traces.exporter == "otlp" {
		exp, err := newTraceExporter(ctx, traces.protocol)
		if err != nil {
			return nil, fmt.Errorf("telemetry: OTLP trace exporter (%s): %w", traces.protocol, err)
		}
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	for _, p := range cfg.SpanProcessors {
		opts = append(opts, sdktrace.WithSpanProcessor(p))
	}
	if traces.exporter == "none" && len(cfg.SpanProcessors) == 0 {
		// Overrides OTEL_TRACES_SAMPLER on purpose: sampling spans nobody receives is pure cost.
		opts = append(opts, sdktrace.WithSampler(sdktrace.NeverSample()))
	}
	t.exporting = traces.exporter == "otlp" || metrics.exporter == "otlp" || len(cfg.SpanProcessors) > 0
	t.TracerProvider = sdktrace.NewTracerProvider(opts...)
	t.shutdown = append(t.shutdown, t.TracerProvider.Shutdown)

	t.MeterProvider = metricnoop.NewMeterProvider()
	if metrics.exporter == "otlp" {
		exp, err := newMetricExporter(ctx, metrics.protocol)
		if err != nil {
			_ = t.Shutdown(ctx)
			return nil, fmt.Errorf("telemetry: OTLP metric exporter (%s): %w", metrics.protocol, err)
		}
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithResource(res),
			sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp)))
		t.MeterProvider = mp
		t.shutdown = append(t.shutdown, mp.Shutdown)
	}
	return t, nil
}

// Install makes the providers and the W3C propagator the process-wide defaults, which is what
// Tracer and instrumented libraries use, and routes SDK errors (a collector that is down) to
// log as warnings instead of stderr.
func (t *Telemetry) Install(log *slog.Logger) {
	otel.SetTracerProvider(t.TracerProvider)
	otel.SetMeterProvider(t.MeterProvider)
	installedExporting.Store(t.exporting)
	otel.SetTextMapPropagator(Propagator)
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn("opentelemetry export failed", "error", err)
	}))
}

// Shutdown flushes buffered spans and metrics and stops the exporters; ctx bounds the wait.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	var all []error
	for i := len(t.shutdown) - 1; i >= 0; i-- {
		all = append(all, t.shutdown[i](ctx))
	}
	t.shutdown = nil
	return errors.Join(all...)
}

// Tracer returns a tracer of the process-wide provider; name is the instrumenting package's
// import path. Safe to call before Install: the global provider delegates once installed.
func Tracer(name string) trace.Tracer { return otel.Tracer(name) }

// newTraceExporter builds the OTLP exporter of the protocol. Each reads the rest of its
// settings (endpoint, headers, TLS, timeout, compression) from OTEL_EXPORTER_OTLP_*, with the
// specification's default endpoint for its transport: localhost:4317 for gRPC, :4318 for HTTP.
// Neither dials here, so a collector that is down does not stop the start.
func newTraceExporter(ctx context.Context, protocol string) (sdktrace.SpanExporter, error) {
	if protocol == ProtocolGRPC {
		return otlptracegrpc.New(ctx)
	}
	return otlptracehttp.New(ctx)
}

func newMetricExporter(ctx context.Context, protocol string) (sdkmetric.Exporter, error) {
	if protocol == ProtocolGRPC {
		return otlpmetricgrpc.New(ctx)
	}
	return otlpmetrichttp.New(ctx)
}

// selection is what the environment asks for one signal.
type selection struct {
	exporter string // "otlp" or "none"
	protocol string // set when exporter is "otlp"
}

// selectExporters applies the OTEL_*_EXPORTER rules with the project's default of "none" unless
// an OTLP endpoint is configured, and the OTEL_EXPORTER_OTLP_*PROTOCOL rules (the per-signal
// variable wins over the general one; http/protobuf by default). It accepts only what this
// build ships: OTLP over gRPC or HTTP/protobuf.
func selectExporters(getenv func(string) string) (traces, metrics selection, err error) {
	none := selection{exporter: "none"}
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return none, none, nil
	}
	var problems []string
	pick := func(signal, exporterVar, endpointVar, protocolVar string) selection {
		v := strings.ToLower(strings.TrimSpace(getenv(exporterVar)))
		if v == "" {
			if getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && getenv(endpointVar) == "" {
				return none
			}
			v = "otlp"
		}
		switch v {
		case "none":
			return none
		case "otlp":
		default:
			problems = append(problems, fmt.Sprintf("%s=%q: only otlp or none are supported", exporterVar, v))
			return none
		}
		name, proto := protocolVar, strings.TrimSpace(getenv(protocolVar))
		if proto == "" {
			name, proto = "OTEL_EXPORTER_OTLP_PROTOCOL", strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_PROTOCOL"))
		}
		switch proto {
		case "":
			proto = ProtocolHTTPProtobuf
		case ProtocolGRPC, ProtocolHTTPProtobuf:
		case "http/json":
			problems = append(problems, fmt.Sprintf("%s=%q (%s): OTLP/HTTP with JSON is not built in; use grpc (collector port 4317) or http/protobuf (port 4318)", name, proto, signal))
			return none
		default:
			problems = append(problems, fmt.Sprintf("%s=%q (%s): unknown protocol; use grpc or http/protobuf", name, proto, signal))
			return none
		}
		return selection{exporter: "otlp", protocol: proto}
	}
	traces = pick("traces", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	metrics = pick("metrics", "OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL")
	if len(problems) > 0 {
		return none, none, errors.New("invalid telemetry configuration:\n  - " + strings.Join(problems, "\n  - "))
	}
	return traces, metrics, nil
}
