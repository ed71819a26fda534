package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// maxFrame bounds the Content-Length a frame may declare (64 MiB).
const maxFrame = 64 << 20

// stream is the LSP base protocol (Content-Length framing) as a
// jsonrpc2.Stream that survives malformed input: a frame with a bad header
// is skipped up to the next header, a frame declaring more than maxFrame
// bytes is skipped by its declared length, and a body that is not a JSON-RPC
// message is answered with a JSON-RPC error response, as the specification
// asks, instead of ending the connection.
type stream struct {
	rwc io.ReadWriteCloser
	in  *bufio.Reader

	wmu  sync.Mutex
	wbuf []byte

	// malformed is called for every frame skipped, with the reason.
	malformed func(reason string)
}

func newStream(rwc io.ReadWriteCloser, malformed func(string)) *stream {
	if malformed == nil {
		malformed = func(string) {}
	}
	return &stream{rwc: rwc, in: bufio.NewReaderSize(rwc, 64<<10), malformed: malformed}
}

// Read implements jsonrpc2.Stream.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, n, err := s.readFrame()
		if errors.Is(err, errBadHeader) {
			s.malformed(err.Error())
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err != nil {
			s.malformed(fmt.Sprintf("malformed message (%v): %.200q", err, body))
			s.answerMalformed(ctx, body, err)
			continue
		}
		return msg, n, nil
	}
}

var errBadHeader = errors.New("malformed message header")

// readFrame reads one header block and its body. Lines that are not header
// fields are skipped (and reported), and a Content-Length field glued to
// the end of preceding garbage is still found, so the stream resynchronizes
// at the next well-formed header. A block without a usable Content-Length
// yields errBadHeader, having been consumed; so does a frame declaring more
// than maxFrame bytes, whose body is discarded, exactly the declared
// length, without being buffered. Each body is a buffer of its own, never
// reused: didOpen keeps its document's text in it (decodeText).
func (s *stream) readFrame() ([]byte, int64, error) {
	length, consumed := -1, 0
	oversize := -1 // a well-formed Content-Length over maxFrame
	inHeader := false
	var junk []string
	for {
		line, err := s.in.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = s.in.ReadSlice('\n')
			}
			junk = append(junk, "an overlong line")
			continue
		}
		if err != nil {
			if err == io.EOF && (consumed > 0 || len(line) > 0) {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		consumed += len(line)
		field := bytes.TrimRight(line, "\r\n")
		if len(field) == 0 {
			if !inHeader {
				continue // blank lines between frames are harmless
			}
			break
		}
		if i := indexFold(field, "content-length:"); i > 0 {
			junk = append(junk, fmt.Sprintf("%.80q", field[:i]))
			field = field[i:]
		}
		name, value, ok := bytes.Cut(field, []byte(":"))
		if !ok || !isToken(name) {
			junk = append(junk, fmt.Sprintf("%.80q", field))
			continue
		}
		inHeader = true
		if bytes.EqualFold(name, []byte("Content-Length")) {
			v := string(bytes.TrimSpace(value))
			n, err := strconv.Atoi(v)
			switch {
			case err == nil && n > maxFrame:
				length, oversize = -1, n
			case err != nil || n < 0:
				junk = append(junk, fmt.Sprintf("Content-Length %.40q", v))
				length, oversize = -1, -1
			default:
				length, oversize = n, -1
			}
		}
	}
	if len(junk) > 0 {
		s.malformed("skipped malformed header input: " + strings.Join(junk, ", "))
	}
	if oversize >= 0 {
		if _, err := s.in.Discard(oversize); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		return nil, 0, fmt.Errorf("%w: a frame of %d bytes exceeds the limit of %d bytes; skipped", errBadHeader, oversize, maxFrame)
	}
	if length < 0 {
		return nil, 0, fmt.Errorf("%w: no valid Content-Length", errBadHeader)
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(s.in, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, 0, err
	}
	return body, int64(consumed + length), nil
}

// isToken reports whether b is a header field name.
func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// indexFold returns the index of the ASCII lower-case word in b, ignoring
// case, or -1.
func indexFold(b []byte, word string) int {
	for i := 0; i+len(word) <= len(b); i++ {
		if bytes.EqualFold(b[i:i+len(word)], []byte(word)) {
			return i
		}
	}
	return -1
}

// answerMalformed replies to a body that is not a JSON-RPC message: a parse
// error when it is not JSON, an invalid-request error otherwise, with the
// request's id when it has one. What looks like a notification gets no
// answer.
func (s *stream) answerMalformed(ctx context.Context, body []byte, err error) {
	code := jsonrpc2.InvalidRequest
	id := jsonrpc2.ID{}
	var probe struct {
		ID     json.RawMessage `json:"id"`
		Method *string         `json:"method"`
	}
	switch jerr := json.Unmarshal(body, &probe); {
	case jerr != nil && !json.Valid(body):
		code = jsonrpc2.ParseError
	case jerr != nil:
		// valid JSON but not an object (a batch, a number...)
	default:
		var num int64
		var str string
		switch {
		case json.Unmarshal(probe.ID, &num) == nil:
			id = jsonrpc2.NewNumberID(num)
		case json.Unmarshal(probe.ID, &str) == nil:
			id = jsonrpc2.NewStringID(str)
		case probe.Method != nil:
			return
		}
	}
	msg := "invalid JSON-RPC message"
	if code == jsonrpc2.ParseError {
		msg = "message body is not valid JSON"
	}
	resp := jsonrpc2.NewResponse(id, nil, jsonrpc2.NewError(code, msg+": "+err.Error()))
	s.Write(ctx, resp)
}

// Write implements jsonrpc2.Stream: header and body go out in one write,
// from one buffer: the body is encoded after room for the longest header,
// and the header is put right before it. The buffer is kept for the next
// message unless it grew past keptBuffer (a large publication is rare; a
// buffer kept for it would stay in the live heap for the session).
func (s *stream) Write(_ context.Context, msg jsonrpc2.Message) (int64, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	buf := jsonrpc2.AppendMessage(append(s.wbuf[:0], make([]byte, headerRoom)...), msg)
	var header [headerRoom]byte
	h := strconv.AppendInt(append(header[:0], "Content-Length: "...), int64(len(buf)-headerRoom), 10)
	h = append(h, "\r\n\r\n"...)
	start := headerRoom - len(h)
	copy(buf[start:], h)
	n, err := s.rwc.Write(buf[start:])
	s.wbuf = buf
	if cap(buf) > keptBuffer {
		s.wbuf = nil
	}
	return int64(n), err
}

// headerRoom is the length of the longest header Write writes.
const headerRoom = len("Content-Length: \r\n\r\n") + 20

// keptBuffer is the largest write buffer a stream keeps between messages.
const keptBuffer = 64 << 10

// Close implements jsonrpc2.Stream.
func (s *stream) Close() error { return s.rwc.Close() }
