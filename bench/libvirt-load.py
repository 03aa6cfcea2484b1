#!/usr/bin/python3
"""Closed-loop load on a libvirtd through python-libvirt, the counterpart of rpc-load.

usage: libvirt-load.py [--warmup SECONDS] URI CLIENTS SECONDS getLibVersion|listAllDomains

CLIENTS processes (not threads: the GIL would serialize the clients), each with its own
connection, call the method again and again. After a warmup (default 0.5 s, not counted) every
call is timed with CLOCK_MONOTONIC for SECONDS. A call that raises is an error, counted but not
timed. Prints one JSON object like rpc-load's:
  {"clients", "seconds", "requests", "rps", "p50_us", "p99_us", "errors", "uri", "method"}
with rps the aggregate rate and the percentiles over all clients' samples. Exit 1 if no call
succeeded."""
import json
import multiprocessing as mp
import sys
import time
from array import array

import libvirt

METHODS = {
    "getLibVersion": lambda conn: conn.getLibVersion(),
    "listAllDomains": lambda conn: conn.listAllDomains(0),
}


def client(uri, method, warmup, seconds, barrier, out):
    """One client: connect, wait for the others, loop until the window ends, send the samples."""
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)  # errors are counted, not printed
    call = METHODS[method]
    lat, errors = array("Q"), 0
    try:
        conn = libvirt.open(uri)
    except libvirt.libvirtError as e:
        conn = None
        print(f"libvirt-load: {uri}: {e}", file=sys.stderr)
    barrier.wait(timeout=120)  # a client that died before it would break the barrier, not hang it
    now = time.monotonic_ns
    begin = now() + int(warmup * 1e9)
    end = begin + int(seconds * 1e9)
    if conn is None:
        out.send((lat.tobytes(), 1))
        return
    while True:
        t0 = now()
        if t0 >= end:
            break
        try:
            call(conn)
            ok = True
        except libvirt.libvirtError:
            ok = False
        t1 = now()
        if begin <= t1 <= end:  # completed in the window: counted
            if ok:
                lat.append(t1 - t0)
            else:
                errors += 1
    conn.close()
    out.send((lat.tobytes(), errors))


def main(argv):
    warmup = 0.5
    if len(argv) >= 2 and argv[0] == "--warmup":
        warmup, argv = float(argv[1]), argv[2:]
    if len(argv) != 4 or argv[3] not in METHODS:
        sys.exit(__doc__)
    uri, clients, seconds, method = argv[0], int(argv[1]), float(argv[2]), argv[3]
    if clients < 1 or seconds <= 0 or warmup < 0:
        sys.exit(__doc__)

    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(clients)  # every client connected: the window starts
    pipes, procs = [], []
    for _ in range(clients):
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=client, args=(uri, method, warmup, seconds, barrier, send))
        proc.start()
        send.close()  # only the child holds it now: a dead child shows as EOF, not a hang
        pipes.append(recv)
        procs.append(proc)
    samples, errors = array("Q"), 0
    for recv in pipes:
        try:
            data, err = recv.recv()
        except EOFError:  # the client died; it said why on stderr
            data, err = b"", 1
        samples.frombytes(data)
        errors += err
    for proc in procs:
        proc.join()

    lat = sorted(samples)
    n = len(lat)
    pct = lambda p: round(lat[int((n - 1) * p + 0.5)] / 1e3, 1) if n else 0.0  # as rpc-load ranks them
    print(json.dumps({"clients": clients, "seconds": seconds, "requests": n, "rps": round(n / seconds, 1),
                      "p50_us": pct(0.50), "p99_us": pct(0.99), "errors": errors,
                      "uri": uri, "method": method}))
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
