#!/usr/bin/python3
"""Turn bench-rpc's raw results into a Markdown table and the issue's target lines.

usage: rpc-report.py RAW
RAW holds one measurement per line: KEY <tab> LABEL <tab> JSON (the output of rpc-load or
libvirt-load.py). Keys used for the targets: echo, ping, list, libver, backend (the slowest
single backend, 1 client). Rows are printed in file order; a key measured several times with
the same client count (echo and ping, alternately, in rounds) is one row of medians, and its
target is judged on the median of the rounds' ratios, each against the echo run just before."""
import json
import statistics
import sys


def main(path):
    runs, labels = {}, {}
    for line in open(path):
        key, label, data = line.rstrip("\n").split("\t", 2)
        r = json.loads(data)
        runs.setdefault((key, r["clients"]), []).append(r)
        labels[(key, r["clients"])] = label
    # One row per (key, clients): the median of each figure over its runs.
    by = {k: {"clients": k[1], **{f: statistics.median(r[f] for r in rs) for f in ("rps", "p50_us", "p99_us")}}
          for k, rs in runs.items()}

    print("| what | clients | runs | rps (median) | p50 µs | p99 µs | rps of each run |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for k, r in by.items():
        each = " / ".join(f"{x['rps']:,.0f}" for x in runs[k]) if len(runs[k]) > 1 else ""
        print(f"| {labels[k]} | {k[1]} | {len(runs[k])} | {r['rps']:,.0f} | {r['p50_us']:,.1f} | {r['p99_us']:,.1f} | {each} |")
    print()

    def verdict(ok):
        return "MET" if ok else "NOT MET"

    for c in sorted({c for k, c in by if k == "echo"}):
        echo, ping, libver = by.get(("echo", c)), by.get(("ping", c)), by.get(("libver", c))
        if ping and echo:
            ratios = [p["rps"] / e["rps"] for e, p in zip(runs[("echo", c)], runs[("ping", c)])]
            x = statistics.median(ratios)
            print(f"- broker.ping / echo ceiling, {c} client(s): median of {len(ratios)} rounds"
                  f" {x:.2f} ({', '.join(f'{r:.2f}' for r in ratios)}; medians {ping['rps']:,.0f} / {echo['rps']:,.0f} rps)"
                  f" (target ≥ 0.50): {verdict(x >= 0.5)}")
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
