// Command bareserver answers GET /api/v2/users/{id} with a fixed JSON body through a bare
// net/http handler: the ceiling the real authorized read is compared with (docs/benchmarks-authz.md).
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3996", "listen address")
	bodyFile := flag.String("body", "", "file with the JSON body to answer (the real server's answer)")
	flag.Parse()
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
