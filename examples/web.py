# The example web front: serves a page with the greeting it fetched from the
# API behind its `api` slot (API_URL). Amber passes this file's text to
# `python3 -c`, with PORT and API_URL set.
import json
import os
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        with urllib.request.urlopen(os.environ["API_URL"], timeout=5) as resp:
            greeting = json.load(resp)["greeting"]
        body = ("<!doctype html><title>Example</title><h1>%s</h1>\n" % greeting).encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
