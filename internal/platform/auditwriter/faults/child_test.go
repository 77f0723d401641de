package faults_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/service"
)

// serveFromEnv runs the service as `telemetryflow serve` would, announcing its address on
// stdout, until SIGTERM (or SIGKILL).
func serveFromEnv(stdout io.Writer) int { return serveWith(stdout, service.Options{}) }

// serveWith is serveFromEnv with process-level options (test hooks).
func serveWith(stdout io.Writer, opt service.Options) int {
	cfg, err := config.Load(nil, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log := logging.New(os.Stderr, cfg.Log.Level, "text")
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	opt.Log = log
	svc, err := service.New(ctx, cfg, opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer svc.Close()
	err = svc.Run(ctx, func(a net.Addr) { fmt.Fprintf(stdout, "listening %s\n", a) })
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
