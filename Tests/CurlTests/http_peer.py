#!/usr/bin/python3
"""A loopback HTTP peer for the libcurl transport tests. Prints its port, serves until killed.
POST /echo echoes the body and the Content-Type; /big answers 1 MiB; /auth wants Basic u:p
(401 with a Basic challenge otherwise); /slow answers after 10 s."""
import base64
import http.server
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/echo":
            self.answer(200, self.headers.get("Content-Type", "").encode() + b"|" + body)
        elif self.path == "/big":
            self.answer(200, b"x" * (1 << 20))
        elif self.path == "/auth":
            expected = "Basic " + base64.b64encode(b"u:p").decode()
            if self.headers.get("Authorization") == expected:
                self.answer(200, b"welcome")
            else:
                self.answer(401, b"", [("WWW-Authenticate", 'Basic realm="wsman"')])
        elif self.path == "/slow":
            time.sleep(10)
            self.answer(200, b"late")
        else:
            self.answer(404, b"")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
