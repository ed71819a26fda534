package runtime

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// notReady is a launched helper whose endpoint never answered; awaitReady
// turns it into a StartError naming the waiting exports.
type notReady struct {
	timedOut bool
	failure  string
	output   []string
}

func (e *notReady) Error() string { return e.failure }

// waitReady polls ep until it answers, the helper exits, the start timeout
// passes or the Runtime closes. On failure the helper's group is stopped
// before its output is collected, so the output is complete.
func (r *Runtime) waitReady(h *helper, ep *endpoint) error {
	p := h.proc
	deadline := time.Now().Add(r.startTimeout())
	for {
		if p.hasExited() {
			// Wait until it is reaped and its output read to the end.
			_ = p.stop(r.opts.StopGrace)
			return &notReady{failure: "component " + h.moniker + " exited before becoming ready: " + p.exitText(), output: p.stderr.Lines()}
		}
		if r.probe(h, ep, deadline) {
			return nil
		}
		if !time.Now().Before(deadline) {
			_ = p.stop(r.opts.StopGrace)
			return &notReady{timedOut: true, output: p.stderr.Lines()}
		}
		timer := time.NewTimer(min(r.opts.PollInterval, time.Until(deadline)))
		select {
		case <-p.exited:
		case <-timer.C:
		case <-r.ctx.Done():
			timer.Stop()
			_ = p.stop(r.opts.StopGrace)
			return ErrClosed
		}
		timer.Stop()
	}
}

// probe makes one readiness check of ep: for HTTP a `GET /` answered with
// any status but 502, for tcp a connection accepted within 100 ms.
func (r *Runtime) probe(h *helper, ep *endpoint, deadline time.Time) bool {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ep.port))
	if ep.protocol == TCP {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			return false
		}
		_ = c.Close()
		return true
	}
	timeout := min(time.Second, max(time.Until(deadline), 10*time.Millisecond))
	ctx, cancel := context.WithTimeout(r.ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/", nil)
	if err != nil {
		return false
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	return resp.StatusCode != http.StatusBadGateway
}
