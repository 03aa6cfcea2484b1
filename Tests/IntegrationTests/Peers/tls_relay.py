#!/usr/bin/env python3
"""A TLS relay on loopback: terminates TLS with its own certificate and opens a TLS connection
of its own to the target, passing the bytes through — what a TLS-terminating proxy, or a
man in the middle, does. Channel binding (tls-server-end-point) exists to expose exactly this:
the client binds to the relay's certificate, the listener expects its own.

usage: tls_relay.py CERT KEY TARGET_HOST TARGET_PORT
Listens on 127.0.0.1 (an ephemeral port) and prints "listening on 127.0.0.1:PORT".
"""
import socket
import ssl
import sys
import threading


def pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.close()
            except OSError:
                pass


def serve(client, server_context, target):
    try:
        inbound = server_context.wrap_socket(client, server_side=True)
        upstream_context = ssl.create_default_context()
        upstream_context.check_hostname = False
        upstream_context.verify_mode = ssl.CERT_NONE
        outbound = upstream_context.wrap_socket(socket.create_connection(target, timeout=30))
    except OSError:
        client.close()
        return
    threading.Thread(target=pump, args=(inbound, outbound), daemon=True).start()
    pump(outbound, inbound)


def main():
    cert, key, host, port = sys.argv[1:5]
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback targets only")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(f"listening on 127.0.0.1:{listener.getsockname()[1]}", flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, context, (host, int(port))), daemon=True).start()


if __name__ == "__main__":
    main()
