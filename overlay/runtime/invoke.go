package runtime

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Response is a helper's successful (2xx) answer.
type Response struct {
	Ready
	StatusCode      int           // a 2xx status
	Body            []byte        // at most MaxResponseSize bytes of UTF-8
	RequestDuration time.Duration // from sending the request to reading the whole body
}

// Invoke starts the helper of spec (or reuses a running one), waits until
// it is ready and POSTs body to `/` of its endpoint with content-type
// application/json. A body over MaxResponseSize, a body that is not UTF-8
// and a status other than 2xx are *InvokeErrors; so are transport failures
// and the request timeout, after which the helper is stopped (the next
// Invoke starts it again). Start failures are *StartError, *SpecError,
// *PortInUseError or *DockerUnavailableError. After an *InvokeError the
// returned Response still carries the Ready facts and the request time.
//
// A reused helper that turns out to have died just before the request (the
// connection breaks and the process is found gone) is started again and the
// request is sent once more.
func (r *Runtime) Invoke(ctx context.Context, spec Spec, body []byte) (Response, error) {
	if err := spec.check(); err != nil {
		return Response{}, err
	}
	if spec.protocol() == TCP {
		return Response{}, &InvokeError{Display: spec.display(), Reason: ReasonNotHTTP}
	}
	resp, err := r.invokeOnce(ctx, &spec, body)
	if ie, ok := err.(*InvokeError); ok && ie.diedBefore {
		resp, err = r.invokeOnce(ctx, &spec, body)
	}
	r.invoked(ctx, &spec, err)
	return resp, err
}

// invokeOnce acquires the helper and sends one request.
func (r *Runtime) invokeOnce(ctx context.Context, spec *Spec, body []byte) (Response, error) {
	h, ready, err := r.acquire(ctx, spec)
	if err != nil {
		return Response{}, err
	}
	defer r.release(h)
	begin := time.Now()
	status, data, err := r.post(ctx, h, spec, body)
	if ie, ok := err.(*InvokeError); ok && ie.Reason == ReasonTransport && ready.Reused {
		ie.diedBefore = ie.helperDied
	}
	return Response{Ready: ready, StatusCode: status, Body: data, RequestDuration: time.Since(begin)}, err
}

// post sends one request and applies Amber's response checks in Amber's
// order: size, UTF-8, status.
func (r *Runtime) post(ctx context.Context, h *helper, spec *Spec, body []byte) (int, []byte, error) {
	display := spec.display()
	reqCtx, cancel := context.WithTimeout(ctx, r.requestTimeout())
	defer cancel()
	u := "http://127.0.0.1:" + strconv.Itoa(spec.Port) + "/"
	req, err := http.NewRequestWithContext(reqCtx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, &InvokeError{Display: display, Reason: ReasonTransport, Err: err}
	}
	req.Header.Set("content-type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, nil, r.requestFailed(ctx, reqCtx, h, display, err)
	}
	// Closing an unread body drops the connection: nothing more is read.
	defer resp.Body.Close()
	if resp.ContentLength > MaxResponseSize {
		return resp.StatusCode, nil, &InvokeError{Display: display, Reason: ReasonTooLarge, Size: resp.ContentLength}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseSize+1))
	if err != nil {
		return resp.StatusCode, nil, r.requestFailed(ctx, reqCtx, h, display, err)
	}
	if len(data) > MaxResponseSize {
		return resp.StatusCode, nil, &InvokeError{Display: display, Reason: ReasonTooLarge, Size: int64(len(data))}
	}
	if err := checkUTF8(data); err != nil {
		return resp.StatusCode, nil, &InvokeError{Display: display, Reason: ReasonNotUTF8, Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, nil, &InvokeError{Display: display, Reason: ReasonStatus, StatusCode: resp.StatusCode, Body: data}
	}
	return resp.StatusCode, data, nil
}

// requestFailed builds the error of a request that broke off. Unless the
// caller gave up, the helper is stopped: one that hung or broke a request is
// not trusted with the next one, and its stderr tail explains what happened.
func (r *Runtime) requestFailed(ctx, reqCtx context.Context, h *helper, display string, err error) error {
	ie := &InvokeError{Display: display, Reason: ReasonTransport, Err: err}
	var ue *url.Error
	if errors.As(err, &ue) {
		ie.Err = ue.Err
	}
	if ctx.Err() != nil {
		ie.Err = ctx.Err()
		return ie
	}
	if errors.Is(reqCtx.Err(), context.DeadlineExceeded) {
		ie.Reason, ie.Err, ie.Timeout = ReasonTimeout, nil, r.requestTimeout()
	}
	// Stopping waits until the helper and everything it started are gone,
	// so the output is complete, and tells whether the helper had ended on
	// its own before it was asked to stop.
	r.retire(h)
	ie.helperDied = h.proc.endedOnItsOwn()
	ie.Output = h.proc.stderr.Lines()
	return ie
}
