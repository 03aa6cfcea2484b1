"""Suspends and resumes one domain N times through python-libvirt (a real peer), making
2*N lifecycle events on the libvirtd behind virtfedd's back."""
import sys

import libvirt

uri, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
conn = libvirt.open(uri)
dom = conn.lookupByName(name)
for _ in range(count):
    dom.suspend()
    dom.resume()
print("done", flush=True)
