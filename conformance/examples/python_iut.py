#!/usr/bin/env python3
"""An implementation under test in Python 3 (standard library only).

Speaks derlink's IUT protocol version 1 (docs/conformance.md) on stdin and
stdout: one JSON request per line in, one JSON reply per line out. It
implements SCRAM-SHA-1/-256 (-PLUS) client and server (iut_scram.py) and the
first stream of an XMPP client and server up to STARTTLS (iut_stream.py);
every other request is answered `unsupported`, which the runner reports as
not applicable.

    deno task conformance --iut "python3 conformance/examples/python_iut.py"

DERLINK_IUT_FAULTS (comma-separated) breaks it on purpose, for the tests of
the runner: skip-server-signature (the SCRAM client believes any server),
and at the last step of a SCRAM exchange hang, garbage (a line that is not
JSON), bad-reply (JSON that breaks the protocol schema), crash (exit 3);
wrong-protocol makes the hello claim protocol version 2.
"""

import json
import os
import sys
import time

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository

from iut_scram import ScramClient, ScramServer, Unsupported
from iut_stream import Initiator, Receiver

MACHINES = {
    "sasl.scram-client": ScramClient,
    "sasl.scram-server": ScramServer,
    "xmpp-stream.initiator": Initiator,
    "xmpp-stream.receiver": Receiver,
}
FINAL_STEPS = ("server-final", "client-final")


def reply(message):
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def misbehave(faults, request_id, step_input):
    """The faults that replace the answer to the last step of an exchange."""
    if step_input.get("type") not in FINAL_STEPS:
        return False
    if "hang" in faults:
        time.sleep(3600)
    if "garbage" in faults:
        sys.stdout.write("this is not JSON {\n")
        sys.stdout.flush()
        return True
    if "bad-reply" in faults:
        reply({"id": request_id, "out": "not a list"})
        return True
    if "crash" in faults:
        sys.stderr.write("python_iut: crashing on purpose (DERLINK_IUT_FAULTS=crash)\n")
        sys.stderr.flush()
        sys.exit(3)
    return False


def main():
    faults = set(filter(None, os.environ.get("DERLINK_IUT_FAULTS", "").split(",")))
    session = None
    while True:
        line = sys.stdin.readline()
        if not line:
            return  # end of input: the runner went away
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            request_id, op = request["id"], request["op"]
        except (ValueError, KeyError, TypeError):
            reply({"id": 0, "error": {"code": "core/invalid-argument", "detail": "not a request"}})
            continue
        try:
            if op == "hello":
                reply({"id": request_id, "hello": {
                    "name": "python example IUT",
                    "version": "1.0",
                    "protocol": 2 if "wrong-protocol" in faults else 1,
                    "functions": [],
                    "machines": sorted(MACHINES),
                }})
            elif op == "bye":
                reply({"id": request_id, "bye": True})
                return
            elif op == "init":
                session = None
                machine = MACHINES.get(request["machine"])
                if machine is None:
                    raise Unsupported(f"machine {request['machine']}")
                session = machine(request["config"], faults)
                reply({"id": request_id, "out": [], "phase": session.phase})
            elif op == "step":
                if session is None:
                    reply({"id": request_id,
                           "error": {"code": "core/invalid-argument", "detail": "step without init"}})
                elif not misbehave(faults, request_id, request["input"]):
                    out = session.step(request["input"])
                    reply({"id": request_id, "out": out, "phase": session.phase})
            elif op == "call":
                raise Unsupported(f"function {request.get('fn')}")
            else:
                reply({"id": request_id, "error": {"code": "core/invalid-argument", "detail": f"op {op}"}})
        except Unsupported as u:
            reply({"id": request_id, "unsupported": str(u)})


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    main()
