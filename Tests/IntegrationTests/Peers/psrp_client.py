#!/usr/bin/env python3
"""A plain pypsrp client: pypsrp.client.Client(...).execute_cmd (WinRS) or execute_ps (PSRP).

usage: psrp_client.py HOST PORT USER AUTH (cmd COMMAND | pscmd SCRIPT | ps SCRIPT)
pscmd runs SCRIPT through execute_cmd as `powershell -EncodedCommand <UTF-16LE base64>` (WinRS,
as pywinrm's run_ps does); ps is PSRP's execute_ps (a runspace pool on Microsoft.PowerShell).
AUTH is pypsrp's auth (ntlm, negotiate, kerberos). The password comes from the PSRP_PASSWORD
environment variable (never the command line; absent for Kerberos with a ticket cache).
Optional environment: PSRP_SSL=1 (https), PSRP_ENCRYPTION (pypsrp's encryption: auto, always,
never), PSRP_CERT_VALIDATION=0, PSRP_SERVICE (the SPN's service, pypsrp's default WSMAN; Windows
registers HTTP). Prints one JSON object: {"status", "stdout", "stderr"} from
execute_cmd, {"output", "had_errors"} from execute_ps, or {"exception", "message"} when pypsrp
raised; each with "encrypted": whether pypsrp sealed the messages (WinRM message encryption).
"""
import base64
import json
import os
import sys

from pypsrp.client import Client


def main():
    host, port, user, auth, mode, text = sys.argv[1:7]
    client = Client(host, port=int(port), username=user, password=os.environ.get("PSRP_PASSWORD"), auth=auth,
                    ssl=os.environ.get("PSRP_SSL") == "1", encryption=os.environ.get("PSRP_ENCRYPTION", "auto"),
                    cert_validation=os.environ.get("PSRP_CERT_VALIDATION", "1") == "1", operation_timeout=20,
                    read_timeout=30, negotiate_service=os.environ.get("PSRP_SERVICE", "WSMAN"))
    try:
        if mode == "cmd":
            stdout, stderr, status = client.execute_cmd(text)
            answer = {"status": status, "stdout": stdout, "stderr": stderr}
        elif mode == "pscmd":
            encoded = base64.b64encode(text.encode("utf-16-le")).decode("ascii")
            stdout, stderr, status = client.execute_cmd("powershell -NoProfile -NonInteractive -EncodedCommand " + encoded)
            answer = {"status": status, "stdout": stdout, "stderr": stderr}
        else:
            output, streams, had_errors = client.execute_ps(text)
            answer = {"output": [str(item) for item in output], "had_errors": had_errors}
    except Exception as error:  # reported, not hidden: the Swift test asserts on it
        answer = {"exception": type(error).__name__, "message": str(error)}
    answer["encrypted"] = client.wsman.transport.encryption is not None
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
