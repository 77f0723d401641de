// Package store implements the application's ports with ent on SQLite and PostgreSQL: the IAM
// repositories, the unit of work that commits a change and its outbox events together, the
// access queries (effective permissions, standing, super administrators), authentication's
// credentials, sessions, refresh tokens, failure counts and signing keys, and the outbox table
// the dispatcher drains. It is the only user of the generated ent packages, with its
// subpackages (TestOnlyTheStoreLayerImportsEnt).
package store

import (
	"context"
	"errors"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
)

// Publisher receives a transaction's events right after it commits.
type Publisher func(ctx context.Context, events []event.Envelope)

// Config wires a store.
type Config struct {
	Client  *ent.Client
	Dialect string // dialect.SQLite or dialect.Postgres
	// Cursors seals the lists' page cursors (required).
	Cursors *pagecursor.Codec
	// AfterCommit, when set, is called with the committed events (the outbox dispatcher's
	// Publish). The events are durable in the outbox before it runs; if it never runs (a
	// crash), the dispatcher finds them there.
	AfterCommit Publisher
	// Reads, when set, serves the queries of port.Reader (IAM lists and gets, access queries)
	// instead of Client: OpenReads, over read replicas. Authentication's reads (credentials,
	// sessions, failure counts, signing keys) stay on Client: a revoked session or a lock must
	// be seen at once. Every unit of work runs on Client.
	Reads *ent.Client
	// Wrote, when set, is called after each unit of work commits, before its events are
	// published (sqlreplica.Router.Wrote: read-your-writes).
	Wrote func(ctx context.Context)
}

// Store is the ent-backed implementation of port.Reader and port.UnitOfWork.
type Store struct {
	client      *ent.Client
	reads       *ent.Client
	wrote       func(ctx context.Context)
	dialect     string
	cursors     *pagecursor.Codec
	afterCommit Publisher
}

var (
	_ port.Reader         = (*Store)(nil)
	_ port.UnitOfWork     = (*Store)(nil)
	_ port.Authentication = (*Store)(nil)
)

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.Client == nil {
		return errors.New("store: ent client is required")
	}
	if c.Dialect != dialect.SQLite && c.Dialect != dialect.Postgres {
		return errors.New("store: dialect must be sqlite3 or postgres")
	}
	if c.Cursors == nil {
		return errors.New("store: a cursor codec is required")
	}
	return nil
}

// New validates cfg and builds the store.
func New(cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	reads := cfg.Reads
	if reads == nil {
		reads = cfg.Client
	}
	return &Store{client: cfg.Client, reads: reads, wrote: cfg.Wrote, dialect: cfg.Dialect, cursors: cfg.Cursors, afterCommit: cfg.AfterCommit}, nil
}

// SetAfterCommit replaces the publisher (wiring: the dispatcher needs the store first).
func (s *Store) SetAfterCommit(p Publisher) { s.afterCommit = p }

// repos is the set of repositories over one ent client (the pool or a transaction).
type repos struct {
	c       *ent.Client
	dialect string
	cursors *pagecursor.Codec
}

func (r repos) regions() regions             { return regions{r} }
func (r repos) tenants() tenants             { return tenants{r} }
func (r repos) organizations() organizations { return organizations{r} }
func (r repos) workspaces() workspaces       { return workspaces{r} }
func (r repos) users() users                 { return users{r} }
func (r repos) roles() roles                 { return roles{r} }
func (r repos) permissions() permissions     { return permissions{r} }
func (r repos) groups() groups               { return groups{r} }
func (r repos) access() access               { return access{r} }

func (s *Store) repos() repos { return repos{c: s.client, dialect: s.dialect, cursors: s.cursors} }

// readRepos are the repositories port.Reader's queries use (Config.Reads).
func (s *Store) readRepos() repos { return repos{c: s.reads, dialect: s.dialect, cursors: s.cursors} }

// Regions implements port.Reader.
func (s *Store) Regions() port.Regions { return s.readRepos().regions() }

// Tenants implements port.Reader.
func (s *Store) Tenants() port.Tenants { return s.readRepos().tenants() }

// Organizations implements port.Reader.
func (s *Store) Organizations() port.Organizations { return s.readRepos().organizations() }

// Workspaces implements port.Reader.
func (s *Store) Workspaces() port.Workspaces { return s.readRepos().workspaces() }

// Users implements port.Reader.
func (s *Store) Users() port.Users { return s.readRepos().users() }

// Roles implements port.Reader.
func (s *Store) Roles() port.Roles { return s.readRepos().roles() }

// Permissions implements port.Reader.
func (s *Store) Permissions() port.Permissions { return s.readRepos().permissions() }

// Groups implements port.Reader.
func (s *Store) Groups() port.Groups { return s.readRepos().groups() }

// Access implements port.Reader; the authorization work reuses it.
func (s *Store) Access() port.Access { return s.readRepos().access() }

// Credentials implements port.Authentication.
func (s *Store) Credentials() port.Credentials { return credentials{s.repos()} }

// Sessions implements port.Authentication.
func (s *Store) Sessions() port.SessionReader { return sessions{s.repos()} }

// APIKeys implements port.Reader and port.Authentication, on the primary: a revoked key must
// be refused at once, and a new one listed at once.
func (s *Store) APIKeys() port.APIKeys { return apiKeys{s.repos()} }

// MFA implements port.Authentication.
func (s *Store) MFA() port.MFA { return mfa{s.repos()} }

// SessionList implements port.Authentication.
func (s *Store) SessionList() port.SessionLister { return sessions{s.repos()} }

// LoginFailures implements port.Authentication; the counts are atomic statements of their own.
func (s *Store) LoginFailures() port.LoginFailures { return loginFailures{s.repos()} }

// SigningKeys reads and adds signing keys outside a transaction (rotation runs in one).
func (s *Store) SigningKeys() port.SigningKeys { return signingKeys{s.repos()} }

// Clients reads service accounts' secrets and keys (from the primary: a secret just minted
// must authenticate at once).
func (s *Store) Clients() port.ClientCredentials { return clients{s.repos()} }
