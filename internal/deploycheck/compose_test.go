package deploycheck_test

import (
	"context"
	"encoding/xml"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"
)

// secrets are the variables compose.yaml requires; the check supplies stand-ins.
var secrets = []string{"POSTGRES_PASSWORD=pg-secret", "CLICKHOUSE_PASSWORD=ch-secret", "CLICKHOUSE_GRAFANA_PASSWORD=ch-grafana-secret",
	"GRAFANA_ADMIN_PASSWORD=gf-secret"}

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

	t.Run("mounted files exist", func(t *testing.T) { mountedFilesExist(t, p) })

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

// mountedFilesExist fails for every bind mount whose source is not in the repository.
func mountedFilesExist(t *testing.T, p *types.Project) {
	t.Helper()
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
	if len(ds.Datasources) != 1 || ds.Datasources[0].UID != prometheusUID || ds.Datasources[0].URL != "http://172.151.151.50:9090" {
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

	// Each panel queries one provisioned datasource, and each of its targets says so too.
	kinds := map[string]string{prometheusUID: "prometheus", clickhouseUID: clickhouseType}
	titles := map[string]bool{}
	uids := map[string]bool{}
	fromClickHouse := map[string]int{}
	for file, d := range dashboards(t) {
		titles[d.Title] = true
		if uids[d.UID] || d.UID == "" {
			t.Errorf("%s: uid %q missing or reused", file, d.UID)
		}
		uids[d.UID] = true
		var walk func([]panel)
		walk = func(ps []panel) {
			for _, pn := range ps {
				walk(pn.Panels)
				if pn.Type == "row" {
					continue
				}
				if pn.Datasource == nil || kinds[pn.Datasource.UID] == "" || kinds[pn.Datasource.UID] != pn.Datasource.Type || len(pn.Targets) == 0 {
					t.Errorf("%s: panel %q has no query on a provisioned datasource (%+v)", file, pn.Title, pn.Datasource)
					continue
				}
				for _, tg := range pn.Targets {
					if tg.Datasource != nil && *tg.Datasource != *pn.Datasource {
						t.Errorf("%s: panel %q mixes datasources", file, pn.Title)
					}
					switch pn.Datasource.UID {
					case prometheusUID:
						if tg.Expr == "" || tg.RawSQL != "" {
							t.Errorf("%s: panel %q: a Prometheus target needs expr only", file, pn.Title)
						}
					case clickhouseUID:
						fromClickHouse[d.Title]++
						// format: 0 = time series, 1 = table (the plugin's numeric enum); a time
						// series panel needs the series format for multi-line results.
						want := 1
						if pn.Type == "timeseries" {
							want = 0
						}
						if tg.RawSQL == "" || tg.Expr != "" || tg.EditorType != "sql" || tg.Format == nil || *tg.Format != want {
							t.Errorf("%s: panel %q: a ClickHouse target needs editorType sql, rawSql and format %d", file, pn.Title, want)
						}
					}
				}
			}
		}
		walk(d.Panels)
	}
	for _, want := range []string{"System Health", "API Performance", "Audit Statistics", "User Activity"} {
		if !titles[want] {
			t.Errorf("dashboard %q missing", want)
		}
	}
	// The seed's audit dashboards read the audit store itself, not only the live counters.
	for _, want := range []string{"Audit Statistics", "User Activity"} {
		if fromClickHouse[want] < 4 {
			t.Errorf("dashboard %q has %d ClickHouse queries; it should read the audit store", want, fromClickHouse[want])
		}
	}
}

// Grafana reaches the audit store as a read-only ClickHouse account of its own: the plugin is
// installed at a pinned version, the datasource points at the compose ClickHouse and the audit
// database, and the account, its password variable and its network agree on both sides.
func TestGrafanaReadsClickHouseReadOnly(t *testing.T) {
	p, err := load(t, secrets, "compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	grafana, clickhouse, backend := p.Services["grafana"], p.Services["clickhouse"], p.Services["backend"]

	plugins := grafana.Environment["GF_INSTALL_PLUGINS"]
	pinned := regexp.MustCompile(`^` + regexp.QuoteMeta(clickhouseType) + ` \d+\.\d+\.\d+$`)
	found := false
	if plugins != nil {
		for _, pl := range strings.Split(*plugins, ",") {
			found = found || pinned.MatchString(strings.TrimSpace(pl))
		}
	}
	if !found {
		t.Errorf("GF_INSTALL_PLUGINS %v does not install %s at a pinned version", plugins, clickhouseType)
	}
	if grafana.DependsOn["clickhouse"].Condition != types.ServiceConditionHealthy {
		t.Errorf("grafana does not wait for a healthy ClickHouse: %+v", grafana.DependsOn)
	}

	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name     string `yaml:"name"`
			UID      string `yaml:"uid"`
			Type     string `yaml:"type"`
			Editable bool   `yaml:"editable"`
			JSONData struct {
				Host            string `yaml:"host"`
				Port            int    `yaml:"port"`
				Protocol        string `yaml:"protocol"`
				Secure          bool   `yaml:"secure"`
				Username        string `yaml:"username"`
				DefaultDatabase string `yaml:"defaultDatabase"`
				DialTimeout     int    `yaml:"dialTimeout"`
				QueryTimeout    int    `yaml:"queryTimeout"`
			} `yaml:"jsonData"`
			SecureJSONData struct {
				Password string `yaml:"password"`
			} `yaml:"secureJsonData"`
		} `yaml:"datasources"`
	}
	readYAML(t, "grafana/provisioning/datasources/clickhouse.yaml", &ds)
	if len(ds.Datasources) != 1 {
		t.Fatalf("clickhouse.yaml provisions %d datasources", len(ds.Datasources))
	}
	d := ds.Datasources[0]
	j := d.JSONData
	if d.UID != clickhouseUID || d.Type != clickhouseType || d.Editable {
		t.Errorf("datasource %s of type %s (editable %v)", d.UID, d.Type, d.Editable)
	}
	chAddr := clickhouse.Networks["telemetryflow_core_net"].Ipv4Address
	if j.Host != chAddr || j.Port != 9000 || j.Protocol != "native" {
		t.Errorf("datasource reaches %s:%d over %s; ClickHouse is at %s:9000 (native)", j.Host, j.Port, j.Protocol, chAddr)
	}
	if db := backend.Environment["TF_CLICKHOUSE_DATABASE"]; db == nil || j.DefaultDatabase != *db {
		t.Errorf("datasource database %q, the backend writes to %v", j.DefaultDatabase, db)
	}
	pwVar, ok := strings.CutPrefix(d.SecureJSONData.Password, "$")
	pwVar = strings.Trim(pwVar, "{}")
	if !ok || pwVar == "" {
		t.Fatalf("the datasource password %q is not taken from the environment", d.SecureJSONData.Password)
	}
	for name, svc := range map[string]types.ServiceConfig{"grafana": grafana, "clickhouse": clickhouse} {
		if v := svc.Environment[pwVar]; v == nil || *v != "ch-grafana-secret" {
			t.Errorf("%s does not get %s from the operator's environment: %v", name, pwVar, v)
		}
	}
	without := slices.DeleteFunc(slices.Clone(secrets), func(s string) bool { return strings.HasPrefix(s, pwVar+"=") })
	if _, err := load(t, without, "compose.yaml"); err == nil || !strings.Contains(err.Error(), pwVar) {
		t.Errorf("loading without %s: %v; the password must be required, not defaulted", pwVar, err)
	}

	// The account, as ClickHouse reads it from users.d.
	var users struct {
		Profiles struct {
			Each []struct {
				XMLName     xml.Name
				Readonly    int `xml:"readonly"`
				Constraints struct {
					MaxExecutionTime *struct {
						ChangeableInReadonly *struct{} `xml:"changeable_in_readonly"`
					} `xml:"max_execution_time"`
				} `xml:"constraints"`
			} `xml:",any"`
		} `xml:"profiles"`
		Users struct {
			Each []struct {
				XMLName  xml.Name
				Password struct {
					FromEnv string `xml:"from_env,attr"`
					Value   string `xml:",chardata"`
				} `xml:"password"`
				Profile string   `xml:"profile"`
				IPs     []string `xml:"networks>ip"`
				Grants  []string `xml:"grants>query"`
				Access  string   `xml:"access_management"`
			} `xml:",any"`
		} `xml:"users"`
	}
	mountedAt := ""
	for _, v := range clickhouse.Volumes {
		if strings.HasSuffix(v.Source, "clickhouse/users.d/grafana.xml") {
			mountedAt = v.Target
		}
	}
	if !strings.HasPrefix(mountedAt, "/etc/clickhouse-server/users.d/") {
		t.Errorf("clickhouse mounts users.d/grafana.xml at %q", mountedAt)
	}
	b, err := os.ReadFile(dockerFile(t, "clickhouse/users.d/grafana.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &users); err != nil {
		t.Fatal(err)
	}
	if len(users.Users.Each) != 1 || users.Users.Each[0].XMLName.Local != j.Username {
		t.Fatalf("users.d/grafana.xml defines %+v; the datasource logs in as %q", users.Users.Each, j.Username)
	}
	u := users.Users.Each[0]
	if u.Password.FromEnv != pwVar || strings.TrimSpace(u.Password.Value) != "" {
		t.Errorf("account password from_env=%q (value %q), want from_env=%q and no literal", u.Password.FromEnv, u.Password.Value, pwVar)
	}
	if !slices.Equal(u.IPs, []string{grafana.Networks["telemetryflow_core_net"].Ipv4Address}) {
		t.Errorf("account accepted from %v, want Grafana's address only", u.IPs)
	}
	if !slices.Equal(u.Grants, []string{"GRANT SELECT ON " + j.DefaultDatabase + ".*"}) || u.Access == "1" {
		t.Errorf("account grants %v (access management %q), want SELECT on %s.* only", u.Grants, u.Access, j.DefaultDatabase)
	}
	var readonly bool
	for _, pr := range users.Profiles.Each {
		if pr.XMLName.Local == u.Profile {
			readonly = pr.Readonly == 1 && pr.Constraints.MaxExecutionTime != nil && pr.Constraints.MaxExecutionTime.ChangeableInReadonly != nil
		}
	}
	if !readonly {
		t.Errorf("profile %q is not readonly=1 with max_execution_time changeable (the plugin sets it on every query)", u.Profile)
	}
}
