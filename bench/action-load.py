#!/usr/bin/python3
"""Closed-loop lifecycle round trips, one client: suspend then resume of one VM, CALLS calls
after WARMUP, each timed from send to answer; prints JSON {"calls", "p50_ms", "p90_ms",
"p99_ms", "rps"}.

usage: action-load.py virtfedd SOCKET DOMAIN CALLS [WARMUP]   JSON-RPC domain.suspend/resume
       action-load.py libvirt CALLS [WARMUP]                  python-libvirt on test:///default's "test"
"""
import json
import socket
import sys
import time


def virtfedd(path, domain):
    client = socket.socket(socket.AF_UNIX)
    client.connect(path)
    reader = client.makefile("rb")

    def call(index):
        method = "domain.suspend" if index % 2 == 0 else "domain.resume"
        client.sendall((json.dumps({"jsonrpc": "2.0", "method": method, "params": {"domain": domain}, "id": index}) + "\n").encode())
        answer = json.loads(reader.readline())
        if "error" in answer:
            raise SystemExit(f"{method}: {answer['error']}")
    return call


def libvirt_domain():
    import libvirt
    domain = libvirt.open("test:///default").lookupByName("test")
    return lambda index: domain.suspend() if index % 2 == 0 else domain.resume()


def main():
    if sys.argv[1] == "virtfedd":
        call, rest = virtfedd(sys.argv[2], sys.argv[3]), sys.argv[4:]
    else:
        call, rest = libvirt_domain(), sys.argv[2:]
    calls, warmup = int(rest[0]), int(rest[1]) if len(rest) > 1 else 20
    times = []
    for index in range(warmup + calls):
        started = time.perf_counter()
        call(index)
        if index >= warmup:
            times.append(time.perf_counter() - started)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
    print(json.dumps({"calls": calls, "p50_ms": round(pick(0.5), 3), "p90_ms": round(pick(0.9), 3),
                      "p99_ms": round(pick(0.99), 3), "rps": round(calls / sum(times), 1)}))


main()
