// Command helper is an overlay helper for amber-lsp's overlay tests. It
// listens on $PORT and answers each scope request according to $MODE:
//
//	redact   one interposer on every edge whose capability kind is $KIND
//	         (default a2a), like Amber's redaction example
//	noop     an empty plan
//	invalid  an interposition attached to a target that does not exist
//	garbage  a body that is not JSON
//	fail     HTTP 500 with a message
//	crash    exit at start, after writing to stderr
//	silent   never listen
//	echo     like redact, and repeats $REDACTION_TERMS in each interposer's
//	         env and on stderr (the secret-masking tests)
//	echofail HTTP 500 quoting $REDACTION_TERMS
//	echocrash exit at start, quoting $REDACTION_TERMS on stderr
//
// It writes its pid to $PIDFILE when set. With $DAEMON_PORT set it first
// starts a daemon: a copy of itself in a session of its own (setsid) that
// listens on that port, ignores SIGTERM and SIGHUP, writes its pid to
// $DAEMON_PIDFILE and carries the helper's arguments.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

type edge struct {
	ID         int `json:"id"`
	Capability struct {
		Kind string `json:"kind"`
	} `json:"capability"`
}

func main() {
	if f := os.Getenv("PIDFILE"); f != "" {
		os.WriteFile(f, []byte(strconv.Itoa(os.Getpid())), 0o644)
	}
	mode := os.Getenv("MODE")
	if mode == "daemonchild" {
		daemon()
	}
	if os.Getenv("DAEMON_PORT") != "" {
		self, _ := os.Executable()
		cmd := exec.Command(self, os.Args[1:]...)
		cmd.Env = append(os.Environ(), "MODE=daemonchild")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(1)
		}
		// Go on once the daemon holds its port, so that it runs for sure
		// by the time amber-lsp hears from the helper.
		for {
			if _, err := os.Stat(os.Getenv("DAEMON_PIDFILE")); err == nil {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	switch mode {
	case "crash":
		fmt.Fprintln(os.Stderr, "helper: cannot start: missing credentials")
		os.Exit(3)
	case "echocrash":
		fmt.Fprintln(os.Stderr, "helper: cannot start with terms", os.Getenv("REDACTION_TERMS"))
		os.Exit(3)
	case "echo":
		fmt.Fprintln(os.Stderr, "helper: redacting", os.Getenv("REDACTION_TERMS"))
	case "silent":
		time.Sleep(time.Hour)
	}
	kind := os.Getenv("KIND")
	if kind == "" {
		kind = "a2a"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusNotImplemented)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Scope struct {
				Bindings, Imports, Exports []edge
			}
		}
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
			return
		}
		switch mode {
		case "noop":
			io.WriteString(w, `{"interpositions":[]}`)
			return
		case "garbage":
			io.WriteString(w, `<html>not a plan</html>`)
			return
		case "fail":
			http.Error(w, "helper exploded", http.StatusInternalServerError)
			return
		case "echofail":
			http.Error(w, "cannot redact "+os.Getenv("REDACTION_TERMS"), http.StatusInternalServerError)
			return
		}
		var ids []int
		for _, list := range [][]edge{req.Scope.Imports, req.Scope.Bindings, req.Scope.Exports} {
			for _, e := range list {
				if e.Capability.Kind == kind {
					ids = append(ids, e.ID)
				}
			}
		}
		if mode == "invalid" {
			ids = []int{99}
		}
		env := map[string]string{"UPSTREAM_URL": "${slots.upstream.url}"}
		if mode == "echo" {
			env["SEEN_TERMS"] = os.Getenv("REDACTION_TERMS")
		}
		plan := []any{}
		for _, id := range ids {
			plan = append(plan, map[string]any{
				"interposer": map[string]any{
					"slots":    map[string]any{"upstream": map[string]any{"kind": kind}},
					"provides": map[string]any{"downstream": map[string]any{"kind": kind, "endpoint": "endpoint"}},
					"program": map[string]any{
						"path": "/usr/bin/env", "args": []string{"true"},
						"env":     env,
						"network": map[string]any{"endpoints": []any{map[string]any{"name": "endpoint", "port": 8130}}},
					},
				},
				"attachments": []any{map[string]any{"target": id, "interposer_slot": "upstream", "interposer_provide": "downstream"}},
			})
		}
		json.NewEncoder(w).Encode(map[string]any{"interpositions": plan})
	})
	if err := http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
}

// daemon listens on $DAEMON_PORT until it is killed.
func daemon() {
	signal.Ignore(syscall.SIGTERM, syscall.SIGHUP)
	l, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("DAEMON_PORT"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper daemon:", err)
		os.Exit(1)
	}
	defer l.Close()
	// Written whole under another name, then renamed: a reader never sees
	// an empty file.
	tmp := os.Getenv("DAEMON_PIDFILE") + ".tmp"
	os.WriteFile(tmp, []byte(strconv.Itoa(os.Getpid())), 0o644)
	os.Rename(tmp, os.Getenv("DAEMON_PIDFILE"))
	select {}
}
