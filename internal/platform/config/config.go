// Package config reads TF_* environment variables (and flags of the same name: TF_HTTP_ADDR is
// --http-addr), applies defaults and validates everything at once, so a bad start-up names
// every problem in one go.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Config is the whole service configuration, grouped by area.
type Config struct {
	HTTP       HTTP
	Database   Database
	ClickHouse ClickHouse
	Bootstrap  Bootstrap
	Auth       Auth
	Audit      Audit
	Authz      Authz
	Redis      Redis
	Log        Log
}

// setting binds one variable to a field: parse stores the value or says what is wrong with it.
type setting struct {
	env   string
	def   string
	usage string
	parse func(string) error
	// secret settings are never echoed back in error messages.
	secret bool
}

// Problems lists every invalid setting, one line each.
type Problems []string

func (p Problems) Error() string {
	return "invalid configuration:\n  - " + strings.Join(p, "\n  - ")
}

// Load reads the environment through getenv, then args as flags (flags win), and validates.
func Load(args []string, getenv func(string) string) (*Config, error) {
	c := &Config{}
	settings := c.settings()
	fs := flag.NewFlagSet("telemetryflow", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	flagged := map[string]*string{}
	for _, s := range settings {
		flagged[s.env] = fs.String(FlagName(s.env), "", s.usage+" (env "+s.env+", default "+quoteDefault(s)+")")
	}
	if err := fs.Parse(args); err != nil {
		return nil, Problems{err.Error()}
	}
	var problems Problems
	for _, s := range settings {
		v := getenv(s.env)
		if f := *flagged[s.env]; f != "" {
			v = f
		}
		if v == "" {
			v = s.def
		}
		if err := s.parse(v); err != nil {
			shown := v
			if s.secret {
				shown = "(hidden)"
			}
			problems = append(problems, fmt.Sprintf("%s=%q: %v", s.env, shown, err))
		}
	}
	problems = append(problems, c.crossChecks()...)
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, problems
	}
	return c, nil
}

// Usage documents every setting, for --help.
func Usage(w io.Writer) {
	settings := (&Config{}).settings()
	sort.Slice(settings, func(i, j int) bool { return settings[i].env < settings[j].env })
	for _, s := range settings {
		fmt.Fprintf(w, "  %-32s --%-28s %s (default %s)\n", s.env, FlagName(s.env), s.usage, quoteDefault(s))
	}
}

// FlagName maps TF_HTTP_ADDR to http-addr.
func FlagName(env string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(env, "TF_")), "_", "-")
}

func quoteDefault(s setting) string {
	if s.def == "" {
		return "empty"
	}
	return s.def
}

func (c *Config) settings() []setting {
	var all []setting
	for _, group := range [][]setting{
		c.HTTP.settings(), c.Database.settings(), c.ClickHouse.settings(), c.Bootstrap.settings(),
		c.Auth.settings(), c.Audit.settings(), c.Authz.settings(), c.Redis.settings(), c.Log.settings(),
	} {
		all = append(all, group...)
	}
	return all
}

func (c *Config) crossChecks() Problems {
	var p Problems
	if (c.HTTP.TLSCertFile == "") != (c.HTTP.TLSKeyFile == "") {
		p = append(p, "TF_TLS_CERT_FILE and TF_TLS_KEY_FILE must be set together")
	}
	if c.HTTP.MetricsAddr != "" && c.HTTP.MetricsAddr == c.HTTP.Addr && !strings.HasSuffix(c.HTTP.Addr, ":0") {
		p = append(p, fmt.Sprintf("TF_METRICS_ADDR=%q: must differ from TF_HTTP_ADDR", c.HTTP.MetricsAddr))
	}
	if c.Auth.AccountLockoutThreshold < c.Auth.LockoutThreshold {
		p = append(p, "TF_ACCOUNT_LOCKOUT_THRESHOLD must not be below TF_LOCKOUT_THRESHOLD")
	}
	if len(c.Database.ReadURLs) > 0 && c.Database.Embedded() {
		p = append(p, "TF_DATABASE_READ_URLS needs TF_DATABASE_URL=postgres://... (read replicas are PostgreSQL streaming replicas)")
	}
	if c.Auth.RefreshTokenTTL > c.Auth.SessionMaxAge {
		p = append(p, "TF_REFRESH_TOKEN_TTL must not exceed TF_SESSION_MAX_AGE")
	}
	return p
}

var errRequired = errors.New("must not be empty")
