// Command orbix-ferretdb runs FerretDB (SQLite backend) as Orbix's embedded
// MongoDB-compatible database for development, tests and CI.
//
// It prints the MongoDB URI it listens on as the first line of standard
// output, then serves until SIGINT or SIGTERM. Telemetry is disabled by the
// embeddable package; this program makes no outbound network calls.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data-dir", "", "directory for the SQLite files; empty means an in-memory throwaway store")
	logLevel := flag.String("log-level", "error", "log level: debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fatal("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	sqliteURL := "file:/?mode=memory"
	if *dataDir != "" {
		abs, err := filepath.Abs(*dataDir)
		if err != nil {
			fatal("bad -data-dir: %v", err)
		}
		if err := os.MkdirAll(abs, 0o700); err != nil {
			fatal("cannot create data directory: %v", err)
		}
		sqliteURL = "file:" + strings.TrimSuffix(abs, "/") + "/"
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		fatal("cannot start FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	fmt.Println(f.MongoDBURI())

	if err := f.Run(ctx); err != nil {
		fatal("FerretDB stopped: %v", err)
	}
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "orbix-ferretdb: "+format+"\n", args...)
	os.Exit(1)
}
