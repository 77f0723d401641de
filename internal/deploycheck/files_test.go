package deploycheck_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// repoRoot is the module root, found from this file so tests run from any directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func dockerFile(t *testing.T, rel string) string {
	return filepath.Join(repoRoot(t), "docker", rel)
}

// dashboard is the part of a Grafana dashboard the checks read.
type dashboard struct {
	UID    string  `json:"uid"`
	Title  string  `json:"title"`
	Panels []panel `json:"panels"`
	Time   struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type panel struct {
	Title      string         `json:"title"`
	Type       string         `json:"type"`
	Datasource *datasourceRef `json:"datasource"`
	// TimeFrom is Grafana's relative time override ("30d"): the panel ignores the dashboard's
	// range and shows the last TimeFrom.
	TimeFrom string   `json:"timeFrom"`
	Targets  []target `json:"targets"`
	Panels   []panel  `json:"panels"`
	Options  struct {
		XField string `json:"xField"`
	} `json:"options"`
}

// target is one query: PromQL in Expr, or the ClickHouse plugin's SQL in RawSQL.
type target struct {
	Expr       string         `json:"expr"`
	RawSQL     string         `json:"rawSql"`
	EditorType string         `json:"editorType"`
	Format     *int           `json:"format"`
	Datasource *datasourceRef `json:"datasource"`
}

// The provisioned datasources (docker/grafana/provisioning/datasources).
const (
	prometheusUID  = "prometheus"
	clickhouseUID  = "clickhouse"
	clickhouseType = "grafana-clickhouse-datasource"
)

// datasource is where a target's query goes: its own datasource, else its panel's.
func (p panel) datasource(tg target) string {
	if tg.Datasource != nil && tg.Datasource.UID != "" {
		return tg.Datasource.UID
	}
	if p.Datasource != nil {
		return p.Datasource.UID
	}
	return ""
}

// query is one PromQL expression of a dashboard, with where it came from.
type query struct {
	file, panel, expr string
}

// sqlQuery is one ClickHouse query of a dashboard, with its panel and dashboard.
type sqlQuery struct {
	file  string
	dash  dashboard
	panel panel
	tg    target
}

func dashboards(t *testing.T) map[string]dashboard {
	t.Helper()
	files, err := filepath.Glob(dockerFile(t, "grafana/dashboards/*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards: %v", err)
	}
	out := map[string]dashboard{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = d
	}
	return out
}

// walkTargets calls f for every target of every panel (rows included) of every dashboard.
func walkTargets(t *testing.T, f func(file string, d dashboard, p panel, tg target)) {
	t.Helper()
	var walk func(file string, d dashboard, ps []panel)
	walk = func(file string, d dashboard, ps []panel) {
		for _, p := range ps {
			for _, tg := range p.Targets {
				f(file, d, p, tg)
			}
			walk(file, d, p.Panels)
		}
	}
	for file, d := range dashboards(t) {
		walk(file, d, d.Panels)
	}
}

// queries are the dashboards' PromQL expressions.
func queries(t *testing.T) []query {
	t.Helper()
	var out []query
	walkTargets(t, func(file string, _ dashboard, p panel, tg target) {
		if p.datasource(tg) == prometheusUID {
			out = append(out, query{file: file, panel: p.Title, expr: tg.Expr})
		}
	})
	return out
}

// sqlQueries are the dashboards' ClickHouse queries.
func sqlQueries(t *testing.T) []sqlQuery {
	t.Helper()
	var out []sqlQuery
	walkTargets(t, func(file string, d dashboard, p panel, tg target) {
		if p.datasource(tg) == clickhouseUID {
			out = append(out, sqlQuery{file: file, dash: d, panel: p, tg: tg})
		}
	})
	return out
}
