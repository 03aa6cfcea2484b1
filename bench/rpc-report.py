#!/usr/bin/python3
"""Turn bench-rpc's raw results into a Markdown table and the issue's target lines.

usage: rpc-report.py RAW
RAW holds one measurement per line: KEY <tab> LABEL <tab> JSON (the output of rpc-load or
libvirt-load.py). Keys used for the targets: echo, ping, list, libver, backend (the slowest
single backend, 1 client). Rows are printed in file order."""
import json
import sys


def main(path):
    rows = []
    for line in open(path):
        key, label, data = line.rstrip("\n").split("\t", 2)
        rows.append((key, label, json.loads(data)))
    by = {(key, r["clients"]): r for key, _, r in rows}

    print("| what | clients | rps | p50 µs | p99 µs |")
    print("|---|---:|---:|---:|---:|")
    for _, label, r in rows:
        print(f"| {label} | {r['clients']} | {r['rps']:,.0f} | {r['p50_us']:,.1f} | {r['p99_us']:,.1f} |")
    print()

    def verdict(ok):
        return "MET" if ok else "NOT MET"

    for c in sorted({c for k, c in by if k == "echo"}):
        echo, ping, libver = by.get(("echo", c)), by.get(("ping", c)), by.get(("libver", c))
        if ping and echo:
            x = ping["rps"] / echo["rps"]
            print(f"- broker.ping / echo ceiling, {c} client(s): {ping['rps']:,.0f} / {echo['rps']:,.0f} rps"
                  f" = {x:.2f} (target ≥ 0.50): {verdict(x >= 0.5)}")
        elif echo:
            print(f"- broker.ping, {c} client(s): needs ≥ {echo['rps'] / 2:,.0f} rps (half the echo ceiling)")
        if ping and libver:
            x = ping["rps"] / libver["rps"]
            print(f"- broker.ping / libvirtd getLibVersion, {c} client(s): {ping['rps']:,.0f} / {libver['rps']:,.0f} rps"
                  f" = {x:.2f} (target > 1): {verdict(x > 1)}")
        elif libver:
            print(f"- broker.ping, {c} client(s): needs > {libver['rps']:,.0f} rps (libvirtd getLibVersion)")
    backend = by.get(("backend", 1))
    for key, what in (("list", "domains.list (full records)"), ("states", "domains.list (detail=states)"),
                      ("cached", "domains.list max_age_ms (inventory cache, full records)")):
        fed = by.get((key, 1))
        if not (backend and fed):
            continue
        x = fed["p50_us"] / backend["p50_us"]
        print(f"- {what} over 32 backends / slowest backend's listAllDomains, p50, 1 client: "
              f"{fed['p50_us']:,.0f} / {backend['p50_us']:,.0f} µs = {x:.2f} (target ≤ 2): {verdict(x <= 2)}")
    if backend and not by.get(("list", 1)):
        print(f"- domains.list over 32 backends, 1 client: needs p50 ≤ {2 * backend['p50_us']:,.0f} µs"
              f" (2 × the slowest backend's {backend['p50_us']:,.0f} µs)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
