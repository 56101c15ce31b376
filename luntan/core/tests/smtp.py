"""A tiny SMTP server for tests (a thread on a free loopback port): it accepts every
message, with or without ``AUTH PLAIN``/``LOGIN``, and keeps what it received."""

from __future__ import annotations

import base64
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    """One message: the envelope sender and recipients, the data, the AUTH user."""

    sender: str
    recipients: list[str]
    data: str
    user: str = ""
    password: str = ""


@dataclass
class FakeSMTP:
    """Messages received (``messages``) by the server at ``host:port``."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Received] = field(default_factory=list)


def _handler(store: FakeSMTP):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write((line + "\r\n").encode())

        def handle(self) -> None:
            self.reply("220 fake ESMTP")
            sender, rcpts, user, password = "", [], "", ""
            while True:
                raw = self.rfile.readline()
                if not raw:
                    return
                line = raw.decode(errors="replace").rstrip("\r\n")
                verb = line[:4].upper()
                if verb in ("EHLO", "HELO"):
                    self.wfile.write(b"250-fake\r\n250 AUTH PLAIN LOGIN\r\n")
                elif line.upper().startswith("AUTH PLAIN"):
                    parts = line.split(" ", 2)
                    token = parts[2] if len(parts) > 2 else ""
                    if not token:
                        self.reply("334 ")
                        token = self.rfile.readline().decode().strip()
                    _z, user, password = base64.b64decode(token).decode().split("\0")
                    self.reply("235 ok")
                elif line.upper().startswith("AUTH LOGIN"):
                    self.reply("334 VXNlcm5hbWU6")
                    user = base64.b64decode(self.rfile.readline().strip()).decode()
                    self.reply("334 UGFzc3dvcmQ6")
                    password = base64.b64decode(self.rfile.readline().strip()).decode()
                    self.reply("235 ok")
                elif verb == "MAIL":
                    sender, rcpts = line.split(":", 1)[1].strip().strip("<>"), []
                    self.reply("250 ok")
                elif verb == "RCPT":
                    rcpts.append(line.split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 go on")
                    lines = []
                    while True:
                        got = self.rfile.readline().decode(errors="replace")
                        if got in (".\r\n", ".\n", ""):
                            break
                        lines.append(got)
                    store.messages.append(Received(sender, rcpts, "".join(lines), user, password))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    return Handler


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def start_fake_smtp() -> tuple[FakeSMTP, _Server]:
    """Start the server; returns (its store, the server: call ``shutdown()`` after)."""
    store = FakeSMTP()
    server = _Server(("127.0.0.1", 0), _handler(store))
    store.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return store, server
