"""Runs one differential scenario with CPython's socket module and prints what each call did.

The scenario is the workbench's script notation (one action per line, read from stdin as JSON:
{"actions": [...], "grace_ms": N, "blocked_ms": N}); this file performs the same calls with
real CPython sockets, independently of the workbench, and prints one JSON record per call:
{"index", "socket", "call", "result", "blocked"}. `&` calls run on a thread of their own, as a
Python program would write them; a call "blocked" when it took at least blocked_ms.
"""

import json
import re
import socket as socket_module
import struct
import sys
import threading
import time
from socket import *  # noqa: F401,F403 - the actions use the module's names unqualified

ACTION = re.compile(
    r"^(?P<bg>&)?\s*(?:(?P<targets>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=\s*)?"
    r"(?P<sock>[A-Za-z_]\w*)\.(?P<call>\w+)\((?P<args>.*)\)$"
)
CREATE = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*socket\((?P<args>.*)\)$")
AWAIT = re.compile(r"^await\s+(?P<name>[A-Za-z_]\w*)(?:\.(?P<call>\w+))?$")
SLEEP = re.compile(r"^sleep\s+(?P<n>[\d.]+)\s*(?P<unit>ms|s)$")
ADDRESS_CALLS = {"bind", "connect", "sendto"}


def linger(seconds):
    """The workbench's SO_LINGER notation: linger(None) off, linger(N) on for N seconds."""
    return struct.pack("ii", 0, 0) if seconds is None else struct.pack("ii", 1, seconds)


def membership(group, interface="0.0.0.0"):
    return socket_module.inet_aton(group) + socket_module.inet_aton(interface)


def strip_comment(text):
    """The action without `=> expectations` and without a trailing `# comment`."""
    out, quote = [], None
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            out.append(c)
        elif c == "#" or text.startswith("=>", i):
            break
        else:
            out.append(c)
        i += 1
    return "".join(out).strip()


def unqualify(text):
    """`socket.AF_INET` -> `AF_INET`, `socket.socket(` -> `socket(` (outside quotes is enough
    for the scenarios)."""
    return re.sub(r"\bsocket\.", "", text)


def address_of(sock, known, caller_family=None):
    """A socket named where an address is expected: its own address, a wildcard made loopback
    (what the workbench does with `client.connect(server)`); after close, the last one seen.
    An IPv4 caller reaches an IPv4-mapped address (::ffff:127.0.0.1) at its IPv4 form."""
    try:
        name = sock.getsockname()
    except OSError:
        name = known.get(id(sock))
    if sock.family == AF_UNIX:
        return name
    host, port = name[0], name[1]
    if host == "0.0.0.0":
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    elif caller_family == AF_INET and host.startswith("::ffff:"):
        host = host[len("::ffff:"):]
    return (host, port)


def bytes_text(data):
    """Python's bytes literal written the workbench's way (always single quotes)."""
    if len(data) > 64:
        return "<%d bytes>" % len(data)
    out = ["b'"]
    for byte in data:
        if byte == 0x5C:
            out.append("\\\\")
        elif byte == 0x27:
            out.append("\\'")
        elif byte == 0x0A:
            out.append("\\n")
        elif byte == 0x0D:
            out.append("\\r")
        elif byte == 0x09:
            out.append("\\t")
        elif 0x20 <= byte <= 0x7E:
            out.append(chr(byte))
        else:
            out.append("\\x%02x" % byte)
    out.append("'")
    return "".join(out)


def address_text(address):
    """An address with its port hidden (ports differ between runs): ('127.0.0.1', *)."""
    if isinstance(address, tuple):
        host, port = address[0], address[1]
        shown = "*" if port else "0"
        if len(address) == 4:
            # IPv6: Python's 4-tuple, flow info and scope id included.
            return "('%s', %s, %d, %d)" % (host, shown, address[2], address[3])
        return "('%s', %s)" % (host, shown)
    if isinstance(address, bytes):
        return bytes_text(address)
    return "'%s'" % address


def result_text(call, value):
    if value is None:
        return "None"
    if call == "accept":
        return "(socket, %s)" % address_text(value[1])
    if call == "recvfrom":
        data, source = value
        return "(%s, %s)" % (bytes_text(data), "None" if source is None else address_text(source))
    if call in ("getsockname", "getpeername"):
        return address_text(value)
    if isinstance(value, bytes):
        return bytes_text(value)
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def error_text(error):
    if isinstance(error, OSError) and error.errno is not None and error.errno > 0:
        return "errno:%d" % error.errno
    if isinstance(error, TimeoutError):
        return "timeout"
    return "invalid"


class Scenario:
    def __init__(self, grace_ms, blocked_ms):
        self.names = {}
        for key in dir(socket_module):
            if key.isupper():
                self.names[key] = getattr(socket_module, key)
        self.names.update(
            socket=socket_module.socket, struct=struct, linger=linger, membership=membership
        )
        self.grace = grace_ms / 1000.0
        self.blocked = blocked_ms / 1000.0
        self.records = []
        # The last address each socket had, so a closed socket's name still means it.
        self.addresses = {}
        self.lock = threading.Lock()
        # Per socket name: the & calls not yet awaited, oldest first.
        self.background = {}

    def perform(self, index, sock_name, call, args_text, targets):
        sock = self.names[sock_name]
        args = list(eval("(" + args_text + ",)" if args_text.strip() else "()", self.names))
        if call in ADDRESS_CALLS and args and isinstance(args[-1], socket_module.socket):
            args[-1] = address_of(args[-1], self.addresses, sock.family)
        record = {"index": index, "socket": sock_name, "call": call}
        started = time.monotonic()
        try:
            value = getattr(sock, call)(*args)
            record["result"] = result_text(call, value)
            self.assign(call, value, targets)
        except Exception as error:  # every failure is a result to compare
            record["result"] = error_text(error)
        record["blocked"] = time.monotonic() - started >= self.blocked
        for value in list(self.names.values()):
            if isinstance(value, socket_module.socket):
                try:
                    self.addresses[id(value)] = value.getsockname()
                except OSError:
                    pass
        with self.lock:
            self.records.append(record)

    def assign(self, call, value, targets):
        targets = [t for t in targets]
        if not targets:
            return
        if call == "accept" and len(targets) == 1:
            value = value[0]
        if len(targets) == 1:
            if targets[0] != "_":
                self.names[targets[0]] = value
            return
        for name, part in zip(targets, value):
            if name != "_":
                self.names[name] = part

    def run(self, actions):
        for index, raw in enumerate(actions):
            text = unqualify(strip_comment(raw))
            if not text:
                continue
            match = CREATE.match(text)
            if match:
                self.names[match["name"]] = eval("socket(" + match["args"] + ")", self.names)
                continue
            match = SLEEP.match(text)
            if match:
                n = float(match["n"])
                time.sleep(n / 1000.0 if match["unit"] == "ms" else n)
                continue
            match = AWAIT.match(text)
            if match:
                queue = self.background.get(match["name"], [])
                if queue:
                    queue.pop(0).join(10)
                continue
            match = ACTION.match(text)
            if not match:
                raise SystemExit("cannot read action %r" % raw)
            targets = [t.strip() for t in (match["targets"] or "").split(",") if t.strip()]
            work = threading.Thread(
                target=self.perform,
                args=(index, match["sock"], match["call"], match["args"], targets),
                daemon=True,
            )
            work.start()
            work.index, work.call = index, match["call"]
            if match["bg"]:
                self.background.setdefault(match["sock"], []).append(work)
                # Let the call reach the kernel (and block, or not) before the next action.
                time.sleep(self.grace)
            else:
                work.join(10)
                if work.is_alive():
                    with self.lock:
                        self.records.append(
                            {"index": index, "socket": match["sock"], "call": match["call"],
                             "result": "hung", "blocked": True}
                        )
        # A & call still waiting at the end is "pending" (the workbench cancels it then).
        time.sleep(0.05)
        with self.lock:
            done = {record["index"] for record in self.records}
            for sock_name, queue in self.background.items():
                for index, call in [(w.index, w.call) for w in queue]:
                    if index not in done:
                        self.records.append(
                            {"index": index, "socket": sock_name, "call": call,
                             "result": "pending", "blocked": True}
                        )
            return sorted(self.records, key=lambda r: r["index"])


def main():
    spec = json.load(sys.stdin)
    scenario = Scenario(spec["grace_ms"], spec["blocked_ms"])
    records = scenario.run(spec["actions"])
    json.dump(records, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    # Threads still blocked in a call stay blocked: leave without waiting for them.
    import os

    os._exit(0)


if __name__ == "__main__":
    main()
