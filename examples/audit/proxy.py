# The audit proxy the overlay helper puts on an edge: it forwards every
# request to the provider behind its `upstream` slot (UPSTREAM_URL) and logs
# one line per request, headed by its label (AUDIT_LABEL). The helper passes
# this file's text to `python3 -c`, with PORT, UPSTREAM_URL and AUDIT_LABEL.
import os
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

UPSTREAM = os.environ["UPSTREAM_URL"].rstrip("/")
LABEL = os.environ["AUDIT_LABEL"]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"}


class Proxy(BaseHTTPRequestHandler):
    def forward(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        req = urllib.request.Request(UPSTREAM + self.path, data=body, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, reply, out = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            status, reply, out = e.code, e.headers, e.read()
        print("[%s] %s %s -> %d" % (LABEL, self.command, self.path, status), file=sys.stderr)
        self.send_response(status)
        for k, v in reply.items():
            if k.lower() not in HOP_BY_HOP:
                self.send_header(k, v)
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward

    def log_message(self, *args):
        pass  # forward prints its own line


HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Proxy).serve_forever()
