#!/usr/bin/env python3
"""Loopback receiver for http_push and http_report during the benchmark: answers 200, counts posts."""
import http.server
import sys

count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        count += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
