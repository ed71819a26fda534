// Command previewhelper is the overlay helper of the server's preview
// tests. It listens on 127.0.0.1:$PORT and answers each scope request as
// $MODE says; it appends one line per event to $REPORT:
//
//	start pid=P cwd=DIR home=DIR env=NAME,NAME,...   when it starts
//	post pid=P                                        for each request
//
// Modes:
//
//	plan      an audit interposer on every edge whose capability kind is
//	          in $KINDS (default http,a2a), after $DELAY milliseconds
//	crash     exit at start, after writing to stderr
//	hang      never listen
//	noanswer  listen, never answer a request
//	status500 answer 500 with a message
//	garbage   answer a body that is not JSON
//	big       answer 50 MB
//	invalid   a plan attached to an edge that does not exist
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	var names []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		names = append(names, k)
	}
	sort.Strings(names)
	cwd, _ := os.Getwd()
	report("start pid=%d cwd=%s home=%s env=%s", os.Getpid(), cwd, os.Getenv("HOME"), strings.Join(names, ","))
	mode := os.Getenv("MODE")
	switch mode {
	case "crash":
		fmt.Fprintln(os.Stderr, "previewhelper: cannot start: no audit sink configured")
		os.Exit(3)
	case "hang":
		fmt.Fprintln(os.Stderr, "previewhelper: waiting for something that never comes")
		select {}
	}
	kinds := os.Getenv("KINDS")
	if kinds == "" {
		kinds = "http,a2a"
	}
	delay, _ := strconv.Atoi(os.Getenv("DELAY"))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			io.WriteString(w, "POST a scope request to /")
			return
		}
		report("post pid=%d", os.Getpid())
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Scope struct {
				Imports, Bindings, Exports []struct {
					ID         int `json:"id"`
					Capability struct {
						Kind string `json:"kind"`
					} `json:"capability"`
				}
			}
		}
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		switch mode {
		case "noanswer":
			<-r.Context().Done()
			return
		case "status500":
			http.Error(w, "audit helper exploded: no sink", http.StatusInternalServerError)
			return
		case "garbage":
			io.WriteString(w, "<html>certainly not a plan</html>")
			return
		case "big":
			chunk := []byte(strings.Repeat("x", 64<<10))
			for i := 0; i < 800; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			return
		}
		time.Sleep(time.Duration(delay) * time.Millisecond)
		plan := []any{}
		port := 7400
		for _, list := range [][]struct {
			ID         int `json:"id"`
			Capability struct {
				Kind string `json:"kind"`
			} `json:"capability"`
		}{req.Scope.Imports, req.Scope.Bindings, req.Scope.Exports} {
			for _, e := range list {
				if !strings.Contains(","+kinds+",", ","+e.Capability.Kind+",") {
					continue
				}
				target := e.ID
				if mode == "invalid" {
					target = 99
				}
				capability := map[string]any{"kind": e.Capability.Kind}
				plan = append(plan, map[string]any{
					"interposer": map[string]any{
						"config":        map[string]any{"label": os.Getenv("LABEL")},
						"config_schema": map[string]any{"type": "object", "properties": map[string]any{"label": map[string]any{"type": "string"}}},
						"slots":         map[string]any{"upstream": capability},
						"provides":      map[string]any{"downstream": map[string]any{"kind": e.Capability.Kind, "endpoint": "proxy"}},
						"program": map[string]any{
							"path": "/usr/bin/env", "args": []string{"true"},
							"env":     map[string]string{"UPSTREAM_URL": "${slots.upstream.url}", "AUDIT_LABEL": "${config.label}"},
							"network": map[string]any{"endpoints": []any{map[string]any{"name": "proxy", "port": port}}},
						},
					},
					"attachments": []any{map[string]any{"target": target, "interposer_slot": "upstream", "interposer_provide": "downstream"}},
				})
				port++
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"interpositions": plan})
	})
	if err := http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil); err != nil {
		fmt.Fprintln(os.Stderr, "previewhelper:", err)
		os.Exit(1)
	}
}

// report appends one line to $REPORT.
func report(format string, args ...any) {
	f, err := os.OpenFile(os.Getenv("REPORT"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, format+"\n", args...)
}
