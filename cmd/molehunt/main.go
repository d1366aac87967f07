// Command molehunt finds covert workers of sanctioned states inside a
// company: it screens people and companies against the sanctions lists and
// serves the analysts' API and console.
//
// Exit codes: 0 done, 1 error, 2 usage, 3 a match was found and
// --fail-on-match was given.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	code := m.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
