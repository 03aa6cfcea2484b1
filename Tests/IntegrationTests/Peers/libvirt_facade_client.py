#!/usr/bin/python3
"""python-libvirt (Debian's, unmodified) against virtfedd's libvirt-protocol socket.

Usage: libvirt_facade_client.py SOCKET READONLY_SOCKET RUNNING_NAME INACTIVE_NAME
Prints one JSON object with what it saw; exits non-zero on any libvirt error it did not expect.
"""
import json
import sys
import threading
import time

import libvirt

socket_path, readonly_socket, running_name, inactive_name = sys.argv[1:5]
uri = "virtfed+unix:///system?socket=" + socket_path  # the federation's own scheme
result = {}

libvirt.virEventRegisterDefaultImpl()
events = []
def on_lifecycle(conn, dom, event, detail, opaque):
    events.append({"name": dom.name(), "uuid": dom.UUIDString(), "event": event, "detail": detail, "id": dom.ID()})

def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()

conn = libvirt.open(uri)
result["uri"] = conn.getURI()
result["type"] = conn.getType()
result["hostname"] = conn.getHostname()
result["libVersion"] = conn.getLibVersion()
result["secure"] = conn.isSecure()
result["encrypted"] = conn.isEncrypted()
result["networks"] = len(conn.listAllNetworks(0))
result["pools"] = len(conn.listAllStoragePools(0))
result["nodeDevices"] = len(conn.listAllDevices(0))
domains = conn.listAllDomains(0)
result["all"] = sorted(d.name() for d in domains)
result["active"] = sorted(d.name() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE))
result["ids"] = sorted(d.ID() for d in domains if d.isActive())
# The older listing calls (NUM_OF_DOMAINS, LIST_DOMAINS, NUM_OF_DEFINED_DOMAINS, LIST_DEFINED_DOMAINS).
result["oldIDs"] = sorted(conn.listDomainsID())
result["numOfDomains"] = conn.numOfDomains()
result["oldDefined"] = sorted(conn.listDefinedDomains())
result["numOfDefined"] = conn.numOfDefinedDomains()
result["inactive"] = sorted(d.name() for d in domains if not d.isActive())

dom = conn.lookupByName(running_name)
result["byName"] = {"name": dom.name(), "uuid": dom.UUIDString(), "id": dom.ID(), "info": dom.info(), "state": dom.state()}
result["byUUID"] = conn.lookupByUUIDString(dom.UUIDString()).name()
result["byID"] = conn.lookupByID(dom.ID()).name()
try:
    conn.lookupByName("no-such-vm")
    result["missing"] = None
except libvirt.libvirtError as e:
    result["missing"] = e.get_error_code()

stats = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE | libvirt.VIR_DOMAIN_STATS_BALLOON)
result["stats"] = {d.name(): s for d, s in stats}

callback = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
target = conn.lookupByName(inactive_name)
target.create()
result["afterStart"] = {"state": target.state(), "id": target.ID(), "active": target.isActive()}
target.suspend()
result["afterSuspend"] = target.state()
target.resume()
target.destroy()
result["afterDestroy"] = {"state": target.state(), "id": target.ID()}
deadline = time.time() + 15
while len([e for e in events if e["name"] == inactive_name]) < 4 and time.time() < deadline:
    time.sleep(0.1)
result["events"] = [e for e in events if e["name"] == inactive_name]
conn.domainEventDeregisterAny(callback)
conn.close()

# A read-only connection refuses with libvirt's own error.
ro = libvirt.openReadOnly(uri)
try:
    ro.lookupByName(running_name).suspend()
    result["readOnly"] = None
except libvirt.libvirtError as e:
    result["readOnly"] = {"code": e.get_error_code(), "message": e.get_error_message()}
ro.close()

# The read-only socket refuses on the daemon's side, with the same code and words.
rs = libvirt.open("test+unix:///default?socket=" + readonly_socket)
result["readOnlySocketList"] = len(rs.listAllDomains(0))
try:
    rs.lookupByName(running_name).suspend()
    result["readOnlySocket"] = None
except libvirt.libvirtError as e:
    result["readOnlySocket"] = {"code": e.get_error_code(), "message": e.get_error_message()}
rs.close()
print(json.dumps(result))
