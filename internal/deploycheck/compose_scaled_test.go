package deploycheck_test

import (
	"bufio"
	"encoding/xml"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// scaledSecrets are what compose.scaled.yaml requires on top of compose.yaml's.
var scaledSecrets = append(slices.Clone(secrets), "POSTGRES_REPLICATION_PASSWORD=repl-secret",
	"TF_KEY_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")

// TestScaledComposeMatchesTheTopology checks docker/compose.scaled.yaml (over compose.yaml) as
// the scaling path draws it: HAProxy, the only published service, in front of three backends
// that share one configuration and trust only HAProxy to name the client; Redis between them;
// a PostgreSQL streaming replica for reads. The HAProxy test runs the same haproxy.cfg for real.
func TestScaledComposeMatchesTheTopology(t *testing.T) {
	p, err := load(t, scaledSecrets, "compose.yaml", "compose.scaled.yaml")
	if err != nil {
		t.Fatalf("compose.yaml + compose.scaled.yaml do not validate: %v", err)
	}
	backends := []string{"backend", "backend-2", "backend-3"}
	ip := func(name string) string {
		n := p.Services[name].Networks["telemetryflow_core_net"]
		if n == nil {
			return ""
		}
		return n.Ipv4Address
	}

	t.Run("secrets are required", func(t *testing.T) {
		for _, missing := range []string{"POSTGRES_REPLICATION_PASSWORD", "TF_KEY_ENCRYPTION_KEY"} {
			env := slices.DeleteFunc(slices.Clone(scaledSecrets), func(s string) bool { return strings.HasPrefix(s, missing+"=") })
			if _, err := load(t, env, "compose.yaml", "compose.scaled.yaml"); err == nil || !strings.Contains(err.Error(), missing) {
				t.Errorf("loading without %s: %v", missing, err)
			}
		}
	})

	t.Run("only HAProxy is published", func(t *testing.T) {
		for name, s := range p.Services {
			want := 0
			if name == "haproxy" {
				want = 1
			}
			if len(s.Ports) != want {
				t.Errorf("%s publishes %+v", name, s.Ports)
			}
		}
		if ports := p.Services["haproxy"].Ports; len(ports) == 1 && (ports[0].Target != 3000 || ports[0].Published != "3000") {
			t.Errorf("haproxy ports %+v", ports)
		}
	})

	t.Run("HAProxy balances the three backends", func(t *testing.T) {
		h := p.Services["haproxy"]
		var got []string
		for i := 1; i <= 3; i++ {
			if v := h.Environment["TF_BACKEND_"+string(rune('0'+i))]; v != nil {
				got = append(got, *v)
			}
		}
		var want []string
		for _, b := range backends {
			want = append(want, ip(b)+":3000")
		}
		if !slices.Equal(got, want) {
			t.Errorf("HAProxy's backends %v, want %v", got, want)
		}
		mounted := false
		for _, v := range h.Volumes {
			mounted = mounted || (strings.HasSuffix(v.Source, "/haproxy/haproxy.cfg") && v.Target == "/usr/local/etc/haproxy/haproxy.cfg")
		}
		if !mounted {
			t.Errorf("haproxy does not run docker/haproxy/haproxy.cfg: %+v", h.Volumes)
		}
		cfg := haproxyConfig(t)
		for _, line := range []string{"option httpchk GET /health/ready", "option forwardfor", "retry-on conn-failure"} {
			if !slices.Contains(cfg, line) {
				t.Errorf("haproxy.cfg lacks %q", line)
			}
		}
	})

	t.Run("backends share one configuration", func(t *testing.T) {
		first := p.Services["backend"].Environment
		for _, name := range backends {
			env := p.Services[name].Environment
			if len(env) != len(first) {
				t.Errorf("%s has %d settings, backend %d", name, len(env), len(first))
			}
			for k, v := range first {
				if env[k] == nil || v == nil || *env[k] != *v {
					t.Errorf("%s: %s differs from backend's", name, k)
				}
			}
			for _, k := range []string{"TF_KEY_ENCRYPTION_KEY", "TF_REDIS_URL", "TF_DATABASE_READ_URLS"} {
				if env[k] == nil || *env[k] == "" {
					t.Errorf("%s lacks %s", name, k)
				}
			}
			if tp := env["TF_TRUSTED_PROXIES"]; tp == nil || *tp != ip("haproxy")+"/32" {
				t.Errorf("%s trusts %v, want only HAProxy (%s/32)", name, tp, ip("haproxy"))
			}
			for _, dep := range []string{"postgres-replica", "redis", "clickhouse", "clickhouse-2"} {
				if p.Services[name].DependsOn[dep].Condition != types.ServiceConditionHealthy {
					t.Errorf("%s does not wait for a healthy %s", name, dep)
				}
			}
		}
	})

	t.Run("each backend has its own data volume and address", func(t *testing.T) {
		seenVol, seenIP := map[string]string{}, map[string]string{}
		for _, name := range backends {
			vols := p.Services[name].Volumes
			if len(vols) != 1 || vols[0].Target != "/var/lib/telemetryflow" {
				t.Errorf("%s volumes %+v", name, vols)
				continue
			}
			if other, dup := seenVol[vols[0].Source]; dup {
				t.Errorf("%s and %s share the volume %s (keys, audit spool)", name, other, vols[0].Source)
			}
			seenVol[vols[0].Source] = name
			if other, dup := seenIP[ip(name)]; dup || ip(name) == "" {
				t.Errorf("%s at %q (also %s)", name, ip(name), other)
			}
			seenIP[ip(name)] = name
		}
	})

	t.Run("reads go to the streaming replica", func(t *testing.T) {
		env := p.Services["backend"].Environment
		u, err := url.Parse(*env["TF_DATABASE_READ_URLS"])
		if err != nil || u.Host != ip("postgres-replica")+":5432" {
			t.Errorf("read URL %v (%v), want the replica at %s", u, err, ip("postgres-replica"))
		}
		r := p.Services["postgres-replica"]
		if r.Image != p.Services["postgres"].Image || r.Environment["PRIMARY_HOST"] == nil || *r.Environment["PRIMARY_HOST"] != ip("postgres") {
			t.Errorf("replica image %s, primary %v", r.Image, r.Environment["PRIMARY_HOST"])
		}
		if r.DependsOn["postgres"].Condition != types.ServiceConditionHealthy {
			t.Errorf("the replica clones the primary before it is healthy")
		}
		script, err := os.ReadFile(dockerFile(t, "postgres/replica.sh"))
		if err != nil || !strings.Contains(string(script), "pg_basebackup") || !strings.Contains(string(script), " -R ") {
			t.Errorf("replica.sh does not clone the primary as a standby (pg_basebackup -R): %v", err)
		}
	})

	t.Run("audit goes to the two-shard ClickHouse cluster", func(t *testing.T) {
		env := p.Services["backend"].Environment
		name := ""
		if v := env["TF_CLICKHOUSE_CLUSTER"]; v != nil {
			name = *v
		}
		shards := clusterShards(t, name)
		want := []string{ip("clickhouse") + ":9000", ip("clickhouse-2") + ":9000"}
		if !slices.Equal(shards, want) {
			t.Errorf("cluster %q in clickhouse/cluster.xml has shards %v, want %v", name, shards, want)
		}
		for _, node := range []string{"clickhouse", "clickhouse-2"} {
			mounted := false
			for _, v := range p.Services[node].Volumes {
				mounted = mounted || (strings.HasSuffix(v.Source, "/clickhouse/cluster.xml") && v.Target == "/etc/clickhouse-server/config.d/cluster.xml")
			}
			if !mounted {
				t.Errorf("%s does not load clickhouse/cluster.xml", node)
			}
		}
		if a, b := p.Services["clickhouse"].Volumes[0].Source, p.Services["clickhouse-2"].Volumes[0].Source; a == b {
			t.Errorf("both shards store their data in %s", a)
		}
	})

	t.Run("mounted files exist", func(t *testing.T) { mountedFilesExist(t, p) })
}

// haproxyConfig is docker/haproxy/haproxy.cfg's lines, trimmed, without comments.
func haproxyConfig(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(dockerFile(t, "haproxy/haproxy.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// clusterShards is the host:port of each shard of the named cluster in clickhouse/cluster.xml.
func clusterShards(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(dockerFile(t, "clickhouse/cluster.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Remote struct {
			Clusters []struct {
				XMLName xml.Name
				Shards  []struct {
					Replicas []struct {
						Host string `xml:"host"`
						Port string `xml:"port"`
					} `xml:"replica"`
				} `xml:"shard"`
			} `xml:",any"`
		} `xml:"remote_servers"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range doc.Remote.Clusters {
		if c.XMLName.Local != name {
			continue
		}
		for _, s := range c.Shards {
			for _, r := range s.Replicas {
				out = append(out, r.Host+":"+r.Port)
			}
		}
	}
	return out
}
