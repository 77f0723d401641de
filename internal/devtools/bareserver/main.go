// Command bareserver answers fixed responses through a bare net/http handler: the ceiling the
// real service is compared with (docs/benchmarks-request-path.md, `go tool task bench:http`).
// It reads a request's body like the real handler would, then writes the recorded answer.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// answers is a repeated -answer flag: "METHOD /pattern/{id}=STATUS=file".
type answers []string

func (a *answers) String() string     { return strings.Join(*a, ",") }
func (a *answers) Set(v string) error { *a = append(*a, v); return nil }

func main() {
	addr := flag.String("addr", "127.0.0.1:3996", "listen address")
	bodyFile := flag.String("body", "", "file with the JSON body of GET /api/v2/users/{id} (the real server's answer)")
	var more answers
	flag.Var(&more, "answer", `"METHOD /path/{id}=STATUS=file": answer that route with STATUS and the file's JSON (repeatable)`)
	flag.Parse()
	if *bodyFile != "" {
		more = append(more, "GET /api/v2/users/{id}=200="+*bodyFile)
	}
	mux := http.NewServeMux()
	for _, a := range more {
		parts := strings.SplitN(a, "=", 3)
		if len(parts) != 3 {
			log.Fatalf("-answer %q: want METHOD /path=STATUS=file", a)
		}
		status, err := strconv.Atoi(parts[1])
		if err != nil {
			log.Fatalf("-answer %q: %v", a, err)
		}
		body, err := os.ReadFile(parts[2])
		if err != nil {
			log.Fatal(err)
		}
		length := strconv.Itoa(len(body))
		mux.HandleFunc(parts[0], func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			h := w.Header()
			h.Set("Content-Type", "application/json; charset=utf-8")
			h.Set("Content-Length", length)
			w.WriteHeader(status)
			_, _ = w.Write(body)
		})
	}
	mux.HandleFunc("GET /health/ready", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	log.Fatal(http.ListenAndServe(*addr, mux))
}
