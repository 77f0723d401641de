package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/telemetryflow/core/internal/platform/config"
)

// healthcheck asks the server on this host whether it is ready. The container image has no
// shell or curl (distroless), so the binary probes itself.
func healthcheck(ctx context.Context, cfg *config.Config) error {
	_, port, err := net.SplitHostPort(cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("healthcheck: TF_HTTP_ADDR: %w", err)
	}
	scheme := "http"
	client := &http.Client{Timeout: 5 * time.Second}
	if cfg.HTTP.TLSCertFile != "" {
		scheme = "https"
		// The probe talks to its own process over loopback; the certificate names the public
		// host, not 127.0.0.1, so it cannot be verified here.
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+net.JoinHostPort("127.0.0.1", port)+"/health/ready", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /health/ready answered %s", resp.Status)
	}
	return nil
}
