package deploycheck_test

import (
	"context"
	"encoding/xml"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"
)

// secrets are the variables compose.yaml requires; the check supplies stand-ins.
var secrets = []string{"POSTGRES_PASSWORD=pg-secret", "CLICKHOUSE_PASSWORD=ch-secret", "GRAFANA_ADMIN_PASSWORD=gf-secret"}

// load does what `docker compose config` does: parse, validate against the Compose
// specification's JSON schema, interpolate, normalise and resolve paths.
func load(t *testing.T, env []string, files ...string) (*types.Project, error) {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, dockerFile(t, f))
	}
	opts, err := cli.NewProjectOptions(paths,
		cli.WithWorkingDirectory(dockerFile(t, ".")),
		cli.WithEnv(env),
		cli.WithDiscardEnvFile, // a developer's docker/.env must not change the verdict
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		t.Fatal(err)
	}
	return opts.LoadProject(context.Background())
}

func TestComposeFileIsValidAndMatchesTheArchitecture(t *testing.T) {
	p, err := load(t, secrets, "compose.yaml")
	if err != nil {
		t.Fatalf("docker/compose.yaml does not validate: %v", err)
	}

	t.Run("passwords are required, not defaulted", func(t *testing.T) {
		_, err := load(t, nil, "compose.yaml")
		if err == nil || !strings.Contains(err.Error(), "POSTGRES_PASSWORD") {
			t.Fatalf("loading without passwords: %v", err)
		}
	})

	t.Run("network", func(t *testing.T) {
		n, ok := p.Networks["telemetryflow_core_net"]
		if !ok || n.Name != "telemetryflow_core_net" || n.Driver != "bridge" || len(n.Ipam.Config) != 1 || n.Ipam.Config[0].Subnet != "172.151.151.0/24" {
			t.Fatalf("network %+v", n)
		}
	})

	fixed := map[string]string{
		"backend": "172.151.151.10", "postgres": "172.151.151.20", "otel-collector": "172.151.151.30",
		"clickhouse": "172.151.151.40", "prometheus": "172.151.151.50", "grafana": "172.151.151.60",
	}
	dynamic := netip.MustParsePrefix(p.Networks["telemetryflow_core_net"].Ipam.Config[0].IPRange)
	t.Run("addresses", func(t *testing.T) {
		for name, s := range p.Services {
			net, ok := s.Networks["telemetryflow_core_net"]
			if !ok || len(s.Networks) != 1 {
				t.Errorf("%s is not (only) on telemetryflow_core_net", name)
				continue
			}
			want, isFixed := fixed[name]
			got := ""
			if net != nil {
				got = net.Ipv4Address
			}
			if isFixed && got != want {
				t.Errorf("%s at %q, want %s", name, got, want)
			}
			if isFixed && dynamic.Contains(netip.MustParseAddr(want)) {
				t.Errorf("%s's fixed address %s lies in the dynamic range %s", name, want, dynamic)
			}
			if !isFixed && got != "" {
				t.Errorf("%s has an address nobody planned: %s", name, got)
			}
		}
		for name := range fixed {
			if _, ok := p.Services[name]; !ok {
				t.Errorf("service %s missing", name)
			}
		}
	})

	t.Run("only the backend port is published", func(t *testing.T) {
		for name, s := range p.Services {
			if name == "backend" {
				if len(s.Ports) != 1 || s.Ports[0].Target != 3000 || s.Ports[0].Published != "3000" {
					t.Errorf("backend ports %+v", s.Ports)
				}
				continue
			}
			if len(s.Ports) != 0 {
				t.Errorf("%s publishes %+v", name, s.Ports)
			}
		}
	})

	t.Run("healthchecks", func(t *testing.T) {
		// migrate exits by design; the collector image has no shell or client to probe with.
		exempt := map[string]bool{"migrate": true, "otel-collector": true}
		for name, s := range p.Services {
			hc := s.HealthCheck
			if exempt[name] {
				continue
			}
			if hc == nil || hc.Disable || len(hc.Test) == 0 {
				t.Errorf("%s has no healthcheck", name)
			}
		}
		if hc := p.Services["backend"].HealthCheck; hc == nil || !slices.Equal(hc.Test, []string{"CMD", "/usr/local/bin/telemetryflow", "healthcheck"}) {
			t.Errorf("backend probes with %v; the image is distroless, only the binary can probe", hc)
		}
	})

	t.Run("migrations run before the backend starts", func(t *testing.T) {
		m := p.Services["migrate"]
		if !slices.Equal(m.Command, []string{"migrate", "up"}) || m.Image != p.Services["backend"].Image {
			t.Errorf("migrate: command %v image %s", m.Command, m.Image)
		}
		if m.DependsOn["postgres"].Condition != types.ServiceConditionHealthy {
			t.Errorf("migrate depends on postgres %+v", m.DependsOn["postgres"])
		}
		deps := p.Services["backend"].DependsOn
		for dep, cond := range map[string]string{
			"migrate": types.ServiceConditionCompletedSuccessfully, "postgres": types.ServiceConditionHealthy,
			"clickhouse": types.ServiceConditionHealthy,
		} {
			if deps[dep].Condition != cond {
				t.Errorf("backend depends on %s with %q, want %q", dep, deps[dep].Condition, cond)
			}
		}
	})

	t.Run("backend and migrate share configuration", func(t *testing.T) {
		b, m := p.Services["backend"].Environment, p.Services["migrate"].Environment
		for _, k := range []string{"TF_DATABASE_URL", "TF_CLICKHOUSE_ADDR", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
			if b[k] == nil || m[k] == nil || *b[k] != *m[k] {
				t.Errorf("%s differs between backend and migrate", k)
			}
		}
		if url := *b["TF_DATABASE_URL"]; !strings.Contains(url, "@172.151.151.20:5432/") {
			t.Errorf("database URL %s", url)
		}
		// The architecture draws the backend sending OTLP to the collector's 4317 (gRPC).
		if *b["TF_CLICKHOUSE_ADDR"] != "172.151.151.40:9000" || *b["OTEL_EXPORTER_OTLP_ENDPOINT"] != "http://172.151.151.30:4317" ||
			*b["OTEL_EXPORTER_OTLP_PROTOCOL"] != "grpc" {
			t.Errorf("ClickHouse %s, collector %s over %s", *b["TF_CLICKHOUSE_ADDR"], *b["OTEL_EXPORTER_OTLP_ENDPOINT"], *b["OTEL_EXPORTER_OTLP_PROTOCOL"])
		}
		if !strings.HasPrefix(p.Services["postgres"].Image, "postgres:16") {
			t.Errorf("PostgreSQL image %s", p.Services["postgres"].Image)
		}
	})

	t.Run("mounted files exist", func(t *testing.T) {
		for name, s := range p.Services {
			for _, v := range s.Volumes {
				if v.Type != types.VolumeTypeBind {
					continue
				}
				if _, err := os.Stat(v.Source); err != nil {
					t.Errorf("%s mounts %s: %v", name, v.Source, err)
				}
			}
		}
	})

	t.Run("workstation overlay publishes on loopback only", func(t *testing.T) {
		lp, err := load(t, secrets, "compose.yaml", "compose.local.yaml")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"grafana", "prometheus"} {
			ports := lp.Services[name].Ports
			if len(ports) != 1 || ports[0].HostIP != "127.0.0.1" {
				t.Errorf("%s overlay ports %+v", name, ports)
			}
		}
	})
}

func readYAML(t *testing.T, rel string, v any) {
	t.Helper()
	b, err := os.ReadFile(dockerFile(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

// promConfig is the subset of prometheus.yml the deployment uses; unknown keys fail the decode.
type promConfig struct {
	Global struct {
		ScrapeInterval     string `yaml:"scrape_interval"`
		EvaluationInterval string `yaml:"evaluation_interval"`
		ScrapeTimeout      string `yaml:"scrape_timeout"`
	} `yaml:"global"`
	ScrapeConfigs []scrapeConfig `yaml:"scrape_configs"`
}

type scrapeConfig struct {
	JobName       string `yaml:"job_name"`
	MetricsPath   string `yaml:"metrics_path,omitempty"`
	StaticConfigs []struct {
		Targets []string `yaml:"targets"`
	} `yaml:"static_configs"`
}

func TestPrometheusScrapesEveryMetricsSource(t *testing.T) {
	var c promConfig
	readYAML(t, "prometheus.yml", &c)
	if c.Global.ScrapeInterval != "15s" {
		t.Errorf("scrape interval %s, want 15s", c.Global.ScrapeInterval)
	}
	want := map[string]string{
		"telemetryflow-core": "172.151.151.10:3000", "clickhouse": "172.151.151.40:9363",
		"otel-collector": "172.151.151.30:8889", "prometheus": "127.0.0.1:9090",
	}
	for _, sc := range c.ScrapeConfigs {
		target := ""
		if len(sc.StaticConfigs) == 1 && len(sc.StaticConfigs[0].Targets) == 1 {
			target = sc.StaticConfigs[0].Targets[0]
		}
		if want[sc.JobName] != target || (sc.MetricsPath != "" && sc.MetricsPath != "/metrics") {
			t.Errorf("job %s scrapes %q%s", sc.JobName, target, sc.MetricsPath)
		}
		delete(want, sc.JobName)
	}
	if len(want) > 0 {
		t.Errorf("jobs missing: %v", want)
	}
}

func TestCollectorPipelinesAreComplete(t *testing.T) {
	var c struct {
		Receivers struct {
			OTLP struct {
				Protocols struct {
					GRPC struct{ Endpoint string } `yaml:"grpc"`
					HTTP struct{ Endpoint string } `yaml:"http"`
				} `yaml:"protocols"`
			} `yaml:"otlp"`
		} `yaml:"receivers"`
		Processors map[string]any `yaml:"processors"`
		Exporters  map[string]any `yaml:"exporters"`
		Extensions map[string]any `yaml:"extensions"`
		Service    struct {
			Extensions []string `yaml:"extensions"`
			Pipelines  map[string]struct {
				Receivers, Processors, Exporters []string
			} `yaml:"pipelines"`
		} `yaml:"service"`
	}
	readYAML(t, "otel-collector.yaml", &c)
	if c.Receivers.OTLP.Protocols.GRPC.Endpoint != "0.0.0.0:4317" || c.Receivers.OTLP.Protocols.HTTP.Endpoint != "0.0.0.0:4318" {
		t.Errorf("OTLP receiver %+v", c.Receivers.OTLP)
	}
	prom, _ := c.Exporters["prometheus"].(map[string]any)
	if prom["endpoint"] != "0.0.0.0:8889" {
		t.Errorf("prometheus exporter %v", prom)
	}
	for _, name := range []string{"traces", "metrics"} {
		pl, ok := c.Service.Pipelines[name]
		if !ok {
			t.Errorf("no %s pipeline", name)
			continue
		}
		if !slices.Equal(pl.Receivers, []string{"otlp"}) {
			t.Errorf("%s receivers %v", name, pl.Receivers)
		}
		for _, p := range pl.Processors {
			if _, ok := c.Processors[p]; !ok {
				t.Errorf("%s uses undefined processor %s", name, p)
			}
		}
		for _, e := range pl.Exporters {
			if _, ok := c.Exporters[e]; !ok {
				t.Errorf("%s uses undefined exporter %s", name, e)
			}
		}
	}
	for _, e := range c.Service.Extensions {
		if _, ok := c.Extensions[e]; !ok {
			t.Errorf("undefined extension %s", e)
		}
	}
}

func TestClickHouseExposesPrometheusMetrics(t *testing.T) {
	b, err := os.ReadFile(dockerFile(t, "clickhouse/prometheus.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Prometheus struct {
			Endpoint string `xml:"endpoint"`
			Port     int    `xml:"port"`
			Metrics  bool   `xml:"metrics"`
		} `xml:"prometheus"`
	}
	if err := xml.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if c.Prometheus.Port != 9363 || c.Prometheus.Endpoint != "/metrics" || !c.Prometheus.Metrics {
		t.Fatalf("%+v", c.Prometheus)
	}
}

func TestGrafanaProvisioning(t *testing.T) {
	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name, UID, Type, Access, URL string
			IsDefault                    bool           `yaml:"isDefault"`
			Editable                     bool           `yaml:"editable"`
			JSONData                     map[string]any `yaml:"jsonData"`
		} `yaml:"datasources"`
	}
	readYAML(t, "grafana/provisioning/datasources/prometheus.yaml", &ds)
	if len(ds.Datasources) != 1 || ds.Datasources[0].UID != "prometheus" || ds.Datasources[0].URL != "http://172.151.151.50:9090" {
		t.Fatalf("datasources %+v", ds.Datasources)
	}
	var prov struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name, Folder, Type string
			DisableDeletion    bool `yaml:"disableDeletion"`
			AllowUIUpdates     bool `yaml:"allowUiUpdates"`
			Options            struct{ Path string }
		} `yaml:"providers"`
	}
	readYAML(t, "grafana/provisioning/dashboards/telemetryflow.yaml", &prov)
	p, err := load(t, secrets, "compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mounted := false
	for _, v := range p.Services["grafana"].Volumes {
		if v.Target == prov.Providers[0].Options.Path && strings.HasSuffix(v.Source, "grafana/dashboards") {
			mounted = true
		}
	}
	if !mounted {
		t.Errorf("the provider reads %s, which compose does not mount from docker/grafana/dashboards", prov.Providers[0].Options.Path)
	}

	titles := map[string]bool{}
	uids := map[string]bool{}
	for file, d := range dashboards(t) {
		titles[d.Title] = true
		if uids[d.UID] || d.UID == "" {
			t.Errorf("%s: uid %q missing or reused", file, d.UID)
		}
		uids[d.UID] = true
		var walk func([]panel)
		walk = func(ps []panel) {
			for _, pn := range ps {
				if pn.Type != "row" && (pn.Datasource == nil || pn.Datasource.UID != "prometheus" || len(pn.Targets) == 0) {
					t.Errorf("%s: panel %q has no query on the provisioned datasource", file, pn.Title)
				}
				walk(pn.Panels)
			}
		}
		walk(d.Panels)
	}
	for _, want := range []string{"System Health", "API Performance", "Audit Statistics", "User Activity"} {
		if !titles[want] {
			t.Errorf("dashboard %q missing", want)
		}
	}
}
