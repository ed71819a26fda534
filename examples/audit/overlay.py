#!/usr/bin/env python3
"""The overlay helper of the example: an audit proxy on every http and a2a edge.

amber-lsp (`--preview`, `--check --apply-overlays`) and Amber start this
program with PORT and AUDIT_LABEL set, wait until `GET /` answers, and POST
to `/` one request per overlay scope:

    {"scope": {"components": [...], "bindings": [...], "imports": [...], "exports": [...]}}

Every edge of the scope (an import from outside, a binding inside, an export
to outside) has an `id` and the `capability` of its target. The answer is an
interposition plan: for each edge of kind http or a2a, one interposer, a
component whose program is proxy.py, attached to the edge so that the
provider's side reaches the proxy's `upstream` slot and the proxy's
`downstream` provide serves the consumer's side:

    {"interpositions": [{"interposer": {...}, "attachments": [{"target": 0,
      "interposer_slot": "upstream", "interposer_provide": "downstream"}]}]}

A request that is not such JSON gets 400 with {"error": ...}.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT = int(os.environ.get("PORT", "7310"))
# The label arrives as the text `${config.audit_label}`: a symbolic reference
# that each proxy's config resolves against the scope root's config.
LABEL = os.environ.get("AUDIT_LABEL", "audit")
PROXY_PORT = 7320  # the first proxy's port; each further proxy takes the next
AUDITED = {"http", "a2a"}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "proxy.py")) as f:
    PROXY_SOURCE = f.read()


class BadRequest(Exception):
    pass


def edges(scope):
    """The scope's edges: imports, then bindings, then exports."""
    for key in ("imports", "bindings", "exports"):
        listed = scope.get(key, [])
        if not isinstance(listed, list):
            raise BadRequest("scope.%s must be a list" % key)
        for edge in listed:
            if not isinstance(edge, dict) or not isinstance(edge.get("id"), int) \
                    or not isinstance(edge.get("capability"), dict):
                raise BadRequest("every edge of scope.%s needs an integer id and a capability" % key)
            yield edge


def interposer(capability, port):
    """An audit proxy for edges of one capability, listening on port."""
    return {
        "config": {"label": LABEL},
        "config_schema": {
            "type": "object",
            "properties": {"label": {"type": "string"}},
            "required": ["label"],
        },
        "slots": {"upstream": dict(capability)},
        "provides": {"downstream": dict(capability, endpoint="proxy")},
        "program": {
            "path": "/usr/bin/env",
            "args": ["python3", "-u", "-c", PROXY_SOURCE],
            "env": {
                "PORT": str(port),
                "UPSTREAM_URL": "${slots.upstream.url}",
                "AUDIT_LABEL": "${config.label}",
            },
            "network": {"endpoints": [{"name": "proxy", "port": port}]},
        },
    }


def plan(request):
    """The interposition plan for one scope request."""
    if not isinstance(request, dict) or not isinstance(request.get("scope"), dict):
        raise BadRequest("expected a JSON object with an object `scope`")
    interpositions = []
    for edge in edges(request["scope"]):
        capability = {"kind": edge["capability"].get("kind"), "profile": edge["capability"].get("profile")}
        if capability["kind"] not in AUDITED:
            continue
        interpositions.append({
            "interposer": interposer(capability, PROXY_PORT + len(interpositions)),
            "attachments": [{
                "target": edge["id"],
                "interposer_slot": "upstream",
                "interposer_provide": "downstream",
            }],
        })
    return {"interpositions": interpositions}


class Helper(BaseHTTPRequestHandler):
    def do_GET(self):
        # Any answer but 502 tells the runtime the helper is ready.
        self.reply(200, {"helper": "audit", "usage": "POST a scope request to /"})

    def do_POST(self):
        try:
            length = int(self.headers.get("content-length") or 0)
            self.reply(200, plan(json.loads(self.rfile.read(length))))
        except (ValueError, BadRequest) as e:
            self.reply(400, {"error": str(e)})

    def reply(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print("audit helper: " + fmt % args, file=sys.stderr)


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", PORT), Helper).serve_forever()
