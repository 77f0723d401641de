package httpserver_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/platform/httpserver"
)

// readiness is what /health/ready answers with the given checks.
type readiness struct {
	code   int
	Status string                    `json:"status"`
	Checks map[string]map[string]any `json:"checks"`
}

func ready(t *testing.T, checks ...httpserver.Check) readiness {
	t.Helper()
	rec := httptest.NewRecorder()
	httpserver.NewHealth(time.Second, checks...).Ready(rec, httptest.NewRequest(http.MethodGet, "/health/ready", nil))
	r := readiness{code: rec.Code}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func failing(msg string) func(context.Context) error {
	return func(context.Context) error { return errors.New(msg) }
}

func passing(context.Context) error { return nil }

func TestReadinessNamesTheFailingDependency(t *testing.T) {
	t.Parallel()
	r := ready(t, httpserver.Check{Name: "database", Run: passing}, httpserver.Check{Name: "audit_sink", Run: failing("connection refused")})
	if r.code != 503 || r.Status != "unavailable" || r.Checks["audit_sink"]["status"] != "down" ||
		r.Checks["audit_sink"]["error"] != "connection refused" || r.Checks["database"]["status"] != "up" {
		t.Fatalf("%+v", r)
	}
}

func TestReadinessStaysReadyWhenOnlyAToleratedDependencyFails(t *testing.T) {
	t.Parallel()
	r := ready(t, httpserver.Check{Name: "database", Run: passing},
		httpserver.Check{Name: "audit_sink", Tolerated: true, Run: failing("connection refused")})
	if r.code != 200 || r.Status != "degraded" || r.Checks["audit_sink"]["status"] != "degraded" ||
		r.Checks["audit_sink"]["error"] != "connection refused" || r.Checks["database"]["status"] != "up" {
		t.Fatalf("%+v", r)
	}

	// A tolerated failure does not hide a real one.
	r = ready(t, httpserver.Check{Name: "database", Run: failing("down")},
		httpserver.Check{Name: "audit_sink", Tolerated: true, Run: failing("connection refused")})
	if r.code != 503 || r.Status != "unavailable" || r.Checks["database"]["status"] != "down" {
		t.Fatalf("%+v", r)
	}
}

func TestRunServesTLSAndShutsDownGracefully(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- httpserver.Run(ctx, httpserver.Config{Addr: "127.0.0.1:0", TLSCertFile: certFile, TLSKeyFile: keyFile, ShutdownTimeout: 5 * time.Second},
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }),
			slog.New(slog.DiscardHandler), func(a net.Addr) { addrc <- a })
	}()
	addr := <-addrc
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	resp, err := client.Get("https://" + addr.String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("status %d tls %v", resp.StatusCode, resp.TLS != nil)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// /health, the architecture's monitoring endpoint, answers exactly as readiness: same status,
// same body (but for timings), ready or not, for GET and HEAD.
func TestHealthAnswersAsReadiness(t *testing.T) {
	t.Parallel()
	var down atomic.Bool
	h := httpserver.NewHealth(time.Second,
		httpserver.Check{Name: "database", Run: func(context.Context) error { return nil }},
		httpserver.Check{Name: "audit_sink", Run: func(context.Context) error {
			if down.Load() {
				return errors.New("connection refused")
			}
			return nil
		}},
	)
	handler := httpserver.Routes{
		API:    http.NotFoundHandler(),
		Health: h,
		Log:    slog.New(slog.DiscardHandler),
		Problem: func(w http.ResponseWriter, _ *http.Request, status int, _, _ string) {
			w.WriteHeader(status)
		},
	}.Handler()
	type answer struct {
		Status int
		Body   struct {
			Status string `json:"status"`
			Checks map[string]struct {
				Status string `json:"status"`
				Error  string `json:"error"`
			} `json:"checks"`
		}
		ContentType, CacheControl string
	}
	ask := func(method, path string) answer {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		a := answer{Status: rec.Code, ContentType: rec.Header().Get("Content-Type"), CacheControl: rec.Header().Get("Cache-Control")}
		if method == http.MethodGet {
			if err := json.Unmarshal(rec.Body.Bytes(), &a.Body); err != nil {
				t.Fatalf("%s %s: %v: %s", method, path, err, rec.Body.String())
			}
		}
		return a
	}
	for _, c := range []struct {
		down   bool
		status int
	}{{false, http.StatusOK}, {true, http.StatusServiceUnavailable}} {
		down.Store(c.down)
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			ready, health := ask(method, "/health/ready"), ask(method, "/health")
			if ready.Status != c.status {
				t.Fatalf("down=%v: readiness %d, want %d", c.down, ready.Status, c.status)
			}
			if !reflect.DeepEqual(health, ready) {
				t.Fatalf("down=%v %s: /health answered\n%+v\nreadiness\n%+v", c.down, method, health, ready)
			}
		}
	}
	if a := ask(http.MethodPost, "/health"); a.Status != http.StatusMethodNotAllowed {
		t.Fatalf("POST /health: %d", a.Status)
	}
}
