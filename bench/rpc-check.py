#!/usr/bin/python3
"""Send one JSON-RPC line to a newline-delimited JSON-RPC server on a Unix socket and check the
answer before it is benchmarked: one JSON object with a "result" and no "error"; with
EXPECTED_DOMAINS, a result {"domains": [...], "errors": [...]} must hold that many domains and
no errors.

usage: rpc-check.py SOCKET LINE [EXPECTED_DOMAINS]
Prints one summary line; exit 1 (with the start of the answer) when the check fails."""
import json
import socket
import sys


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    path, line = argv[0], argv[1]
    expected = int(argv[2]) if len(argv) == 3 else None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(60)
        s.connect(path)
        s.sendall(line.encode() + b"\n")
        with s.makefile("rb") as f:
            raw = f.readline()
    head = raw[:300].decode(errors="replace")
    try:
        answer = json.loads(raw)
    except ValueError:
        sys.exit(f"rpc-check: not one JSON text per line ({len(raw)} bytes): {head}")
    if not isinstance(answer, dict) or "result" not in answer or "error" in answer:
        sys.exit(f"rpc-check: no result: {head}")
    result = answer["result"]
    if expected is not None:
        domains = result.get("domains") if isinstance(result, dict) else None
        if not isinstance(domains, list):
            sys.exit(f"rpc-check: result has no domains list: {head}")
        if len(domains) != expected or result.get("errors"):
            sys.exit(f"rpc-check: {len(domains)} domains (expected {expected}), errors: "
                     f"{json.dumps(result.get('errors'))[:300]}")
        print(f"rpc-check: {len(domains)} domains, no errors, {len(raw)} bytes")
    else:
        print(f"rpc-check: result {json.dumps(result)[:100]}, {len(raw)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
