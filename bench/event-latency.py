#!/usr/bin/python3
"""Latency from a libvirt state change to its notification, through virtfedd and, side by side,
straight from libvirtd to a python-libvirt event callback (the baseline: libvirt's own event
delivery, no broker in between).

usage: event-latency.py VIRTFED_SOCKET LIBVIRT_URI DOMAIN FEDERATED_NAME COUNT
Each round suspends then resumes DOMAIN through python-libvirt and times, from just before the
call, (a) the `event.domain` notification virtfedd sends and (b) the lifecycle callback libvirt
delivers to this process. Prints one JSON object with p50/p90/p99 in milliseconds for both."""
import json
import socket
import sys
import threading
import time

import libvirt


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    path, uri, name, federated, count = argv[0], argv[1], argv[2], argv[3], int(argv[4])

    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)], daemon=True).start()
    conn = libvirt.open(uri)
    dom = conn.lookupByName(name)
    direct = {}
    direct_ready = threading.Condition()

    def callback(_conn, d, event, _detail, _opaque):
        if d.name() == name:
            with direct_ready:
                direct[event] = time.monotonic()
                direct_ready.notify_all()

    conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, callback, None)

    sub = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sub.connect(path)
    reader = sub.makefile("r")
    sub.sendall(b'{"jsonrpc":"2.0","method":"events.subscribe","params":{"types":["suspended","resumed"]},"id":1}\n')
    answer = json.loads(reader.readline())
    if "result" not in answer:
        sys.exit(f"subscribe failed: {answer}")

    def notification(kind, deadline):
        while time.monotonic() < deadline:
            message = json.loads(reader.readline())
            params = message.get("params", {})
            if message.get("method") == "event.domain" and params.get("domain") == federated and params.get("type") == kind:
                return time.monotonic()
        raise SystemExit(f"no {kind} notification for {federated}")

    if dom.state()[0] == libvirt.VIR_DOMAIN_PAUSED:
        dom.resume()
        notification("resumed", time.monotonic() + 10)
    through, straight = [], []
    for _ in range(count):
        for action, kind, event in ((dom.suspend, "suspended", libvirt.VIR_DOMAIN_EVENT_SUSPENDED),
                                    (dom.resume, "resumed", libvirt.VIR_DOMAIN_EVENT_RESUMED)):
            with direct_ready:
                direct.pop(event, None)
            start = time.monotonic()
            action()
            got = notification(kind, start + 10)
            with direct_ready:
                direct_ready.wait_for(lambda: event in direct, timeout=10)
                seen = direct.get(event)
            if seen is None:
                sys.exit(f"libvirt delivered no {kind} event")
            through.append((got - start) * 1000)
            straight.append((seen - start) * 1000)

    def summary(values):
        return {"p50_ms": round(percentile(values, 50), 3), "p90_ms": round(percentile(values, 90), 3),
                "p99_ms": round(percentile(values, 99), 3), "max_ms": round(max(values), 3)}

    print(json.dumps({"changes": len(through), "virtfedd": summary(through), "libvirt_direct": summary(straight)}))


if __name__ == "__main__":
    main(sys.argv[1:])
