#!/usr/bin/python3
"""A plain Python client of virtfedd: a Unix socket and the json module, nothing else.
usage: jsonrpc_client.py RW_SOCKET RO_SOCKET — drives the daemon end to end, exits 0 when
every check holds, printing one line per check."""
import json
import socket
import sys


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb")
        self.next_id = 0

    def call(self, method, params=None):
        self.next_id += 1
        request = {"jsonrpc": "2.0", "method": method, "id": self.next_id}
        if params is not None:
            request["params"] = params
        self.file.write(json.dumps(request).encode() + b"\n")
        self.file.flush()
        answer = json.loads(self.file.readline())
        assert answer["jsonrpc"] == "2.0" and answer["id"] == self.next_id, answer
        return answer


def check(name, condition):
    print(("ok   " if condition else "FAIL ") + name)
    return condition


def main(rw_path, ro_path):
    rw, ro = Client(rw_path), Client(ro_path)
    results = []
    listing = rw.call("domains.list", {"all": True})["result"]
    names = {d["name"]: d for d in listing["domains"]}
    results.append(check("domains.list returns the federation", "kvm-a/web-01" in names and listing["errors"] == []))
    results.append(check("merged VM has two routes", names["kvm-a/shared-storage-vm"]["routes"] == ["kvm-a", "kvm-b"]))
    results.append(check("suspend through the read-write socket",
                         rw.call("domain.suspend", {"domain": "kvm-a/web-01"})["result"]["job"]["resulting_state"] == "paused"))
    results.append(check("the change is visible to another client",
                         ro.call("domain.get", {"domain": "web-01"})["result"]["state"] == "paused"))
    refused = ro.call("domain.resume", {"domain": "kvm-a/web-01"})["error"]
    results.append(check("read-only socket refuses resume", refused["data"]["code"] == "permission_denied"))
    results.append(check("resume", rw.call("domain.resume", {"domain": "kvm-a/web-01"})["result"]["action"] == "resume"))
    missing = rw.call("domain.get", {"domain": "nope"})["error"]
    results.append(check("unknown VM is not_found", missing["data"]["code"] == "not_found" and missing["code"] == -32001))
    bad = rw.call("domains.list", {"all": "yes"})["error"]
    results.append(check("bad params are -32602", bad["code"] == -32602))
    xml = rw.call("domain.xml", {"domain": "kvm-c/dev-desktop"})["result"]["xml"]
    results.append(check("domain.xml", "<name>dev-desktop</name>" in xml))
    node = rw.call("node.info", {"backend": "kvm-c"})["result"]["node"]
    results.append(check("node.info", node["cpus"] == 48))
    hosts = rw.call("hosts.list")["result"]["hosts"]
    results.append(check("hosts.list", sorted(h["name"] for h in hosts) == ["kvm-a", "kvm-b", "kvm-c"]))
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
