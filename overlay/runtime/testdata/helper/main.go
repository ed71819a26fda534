// Command helper is the overlay helper program of the runtime tests. Its
// behaviour is chosen by HELPER_MODE; it listens on 127.0.0.1:$PORT and
// appends what it did to the file $REPORT, one event per line.
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
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	mode := os.Getenv("HELPER_MODE")
	report("start pid=%d pgid=%d mode=%s", os.Getpid(), syscall.Getpgrp(), mode)
	switch mode {
	case "crash":
		n, _ := strconv.Atoi(os.Getenv("CRASH_LINES"))
		for i := 1; i <= n; i++ {
			fmt.Fprintf(os.Stderr, "crash: line %d\n", i)
		}
		fmt.Fprintln(os.Stderr, "crash: cannot load config")
		os.Exit(3)
	case "hang":
		fmt.Fprintln(os.Stderr, "hang: not listening, waiting forever")
		select {}
	case "sleep": // the grandchild of "spawn": ignores SIGTERM
		signal.Ignore(syscall.SIGTERM)
		report("grandchild pid=%d pgid=%d", os.Getpid(), syscall.Getpgrp())
		select {}
	case "spawn":
		self, _ := os.Executable()
		cmd := exec.Command(self)
		cmd.Env = append(os.Environ(), "HELPER_MODE=sleep")
		if err := cmd.Start(); err != nil {
			fatal(err)
		}
		report("spawned pid=%d", cmd.Process.Pid)
		if os.Getenv("SPAWN_THEN") == "hang" {
			fmt.Fprintln(os.Stderr, "spawn: grandchild started, now hanging")
			select {}
		}
		serve("plan")
	case "daemon", "daemonize": // a grandchild in a session of its own, holding $DAEMON_PORT
		self, _ := os.Executable()
		child := "daemonchild"
		if mode == "daemonize" {
			child = "middle" // which starts the daemon and exits: a double fork
		}
		cmd := exec.Command(self, "amber-lsp-test-daemon")
		cmd.Env = append(os.Environ(), "HELPER_MODE="+child)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			fatal(err)
		}
		if mode == "daemonize" {
			_ = cmd.Wait()
		}
		report("spawned pid=%d", cmd.Process.Pid)
		serve("plan")
	case "middle":
		self, _ := os.Executable()
		cmd := exec.Command(self, "amber-lsp-test-daemon")
		cmd.Env = append(os.Environ(), "HELPER_MODE=daemonchild")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			fatal(err)
		}
		os.Exit(0)
	case "daemonchild":
		signal.Ignore(syscall.SIGTERM, syscall.SIGHUP)
		l, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("DAEMON_PORT"))
		if err != nil {
			fatal(err)
		}
		defer l.Close()
		report("grandchild pid=%d pgid=%d sid=%d", os.Getpid(), syscall.Getpgrp(), getsid())
		select {}
	case "stubborn":
		signal.Ignore(syscall.SIGTERM)
		serve("plan")
	case "slowstart":
		time.Sleep(300 * time.Millisecond)
		serve("plan")
	default:
		serve(mode)
	}
}

func serve(mode string) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "use POST", http.StatusNotImplemented) // like Amber's example
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			http.Error(w, "content-type "+ct, http.StatusUnsupportedMediaType)
			return
		}
		var req struct {
			Scope json.RawMessage `json:"scope"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Scope == nil {
			http.Error(w, `{"error":"expected an object with a scope"}`, http.StatusBadRequest)
			return
		}
		answer(mode, w, r)
	})
	if port2 := os.Getenv("PORT2"); port2 != "" { // a second endpoint
		l, err := net.Listen("tcp", "127.0.0.1:"+port2)
		if err != nil {
			fatal(err)
		}
		go http.Serve(l, handler)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT"))
	if err != nil {
		fatal(err)
	}
	fatal(http.Serve(l, handler))
}

func answer(mode string, w http.ResponseWriter, r *http.Request) {
	switch mode {
	case "plan":
		io.WriteString(w, plan)
	case "noop":
		io.WriteString(w, `{"interpositions":[]}`)
	case "heldpost": // answers once the file $RELEASE exists
		report("post pid=%d", os.Getpid())
		for {
			if _, err := os.Stat(os.Getenv("RELEASE")); err == nil {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		io.WriteString(w, `{"interpositions":[]}`)
		report("answered pid=%d", os.Getpid())
	case "noanswer":
		<-r.Context().Done()
	case "status500":
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "\n  redaction helper failed: missing terms  \n")
	case "status500big":
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "x"+strings.Repeat("é", 3000))
	case "garbage":
		io.WriteString(w, "this is not json {{{")
	case "rawgarbage":
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			fatal(err)
		}
		io.WriteString(conn, "NOT HTTP AT ALL\r\n\r\n")
		conn.Close()
	case "big", "bigcl":
		const total = 50 << 20
		if mode == "bigcl" {
			w.Header().Set("Content-Length", strconv.Itoa(total))
		}
		chunk := []byte(strings.Repeat("a", 64<<10))
		written := 0
		var err error
		for written < total && err == nil {
			var n int
			n, err = w.Write(chunk)
			written += n
			http.NewResponseController(w).Flush()
		}
		report("big wrote=%d err=%v", written, err != nil)
	case "latin1":
		w.Write([]byte("caf\xe9 au lait"))
	case "env":
		env := os.Environ()
		sort.Strings(env)
		json.NewEncoder(w).Encode(env)
	case "dieonpost":
		fmt.Fprintln(os.Stderr, "dieonpost: fatal: out of memory")
		os.Exit(7)
	default:
		http.Error(w, "unknown mode "+mode, http.StatusInternalServerError)
	}
}

// plan is a valid redaction-style interposition plan for edge 0.
const plan = `{"interpositions":[{"interposer":{"config":{"redaction_terms":["${config.launch_code}"]},` +
	`"config_schema":{"type":"object","properties":{"redaction_terms":{"type":"array","items":{"type":"string"}}}},` +
	`"program":{"path":"/usr/bin/env","args":["python3","-u","-c","pass"],"env":{"PORT":"8130","UPSTREAM_URL":"${slots.upstream.url}"},` +
	`"network":{"endpoints":[{"name":"endpoint","port":8130}]}},` +
	`"slots":{"upstream":{"kind":"a2a"}},"provides":{"downstream":{"kind":"a2a","endpoint":"endpoint"}}},` +
	`"attachments":[{"target":0,"interposer_slot":"upstream","interposer_provide":"downstream"}]}]}`

// report appends one event line to $REPORT.
func report(format string, args ...any) {
	path := os.Getenv("REPORT")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fatal(err)
	}
	fmt.Fprintf(f, format+"\n", args...)
	f.Close()
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "helper:", err)
	os.Exit(1)
}

// getsid returns the calling process's session id.
func getsid() int {
	sid, _, _ := syscall.RawSyscall(syscall.SYS_GETSID, 0, 0, 0)
	return int(sid)
}
