// Command opa is the Open Policy Agent CLI, built from source for Gatekeeper's
// tests and CI (see scripts/install-opa.sh). It is OPA's own main package for
// v1.x, verbatim: the official way to build OPA as a dependency is a tiny main
// package that imports github.com/open-policy-agent/opa/cmd.
package main

import (
	"errors"
	"os"

	"github.com/open-policy-agent/opa/cmd"
)

func main() {
	var exit int
	defer func() {
		if exit != 0 {
			os.Exit(exit)
		}
	}() // orderly shutdown, run all defer routines

	if err := cmd.RootCommand.Execute(); err != nil {
		if e, ok := errors.AsType[*cmd.ExitError](err); ok {
			exit = e.Exit
		} else {
			exit = 1
		}
	}
}
