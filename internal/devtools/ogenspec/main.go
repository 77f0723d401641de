// Command ogenspec writes openapi.yaml as ogen is given it (task generate): the same contract
// without the typed problem responses (400, 401, 403, ...) each operation lists next to its
// `default`.
//
// Those responses exist for clients generated in other languages, which get one typed error
// per status. For ogen they add nothing and cost a lot: every one of them is the body of the
// shared `default` (RFC 9457 problem+json), which ogen already turns into "convenient errors"
// (handlers return (*T, error); any non-2xx answer reaches Go clients as an
// *oas.ProblemStatusCodeWithHeaders error carrying its status). Listing the statuses to ogen
// would instead make every result a sum type of the success and each problem status.
// Only responses that reference a problem response are dropped; any other non-2xx response
// stops generation, because removing it would lose information.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	in := flag.String("in", "openapi.yaml", "the contract")
	out := flag.String("out", "", "where to write the contract as ogen sees it")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "ogenspec:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	spec, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	stripped, err := Strip(spec)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, stripped, 0o644)
}
