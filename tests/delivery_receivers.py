"""Real receivers for the notices the worker sends, started by the tests on 127.0.0.1:

- Mailbox: an SMTP server (aiosmtpd) that keeps every message, and can refuse a recipient (550)
  or be stopped and started again (a mail server that is away);
- Gateway: an HTTP server that keeps every webhook POST and can answer 500 for a while;
- PushService: an HTTP server speaking the Web Push protocol's receiving end: it checks the VAPID
  JWT (ES256 over the `k` key, `aud` this origin, `exp` ahead, `sub` given) and decrypts the
  aes128gcm body with the subscription's own private key and auth secret (http_ece), as a
  browser's push service and the browser would; it can answer 410 for a subscription it dropped.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import os
import socket
import threading
import time
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from requests.structures import CaseInsensitiveDict


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---- e-mail ----------------------------------------------------------------------------------


class Mailbox:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Message] = []
        self.refuse: set[str] = set()  # recipients answered 550
        self.delay = 0.0  # seconds each message takes (to kill a worker mid-batch)
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        box = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
                if address in box.refuse:
                    return "550 5.1.1 No such user here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                if box.delay:
                    time.sleep(box.delay)
                box.messages.append(
                    email.message_from_bytes(envelope.content, policy=email.policy.default)
                )
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]


# ---- HTTP receivers ----------------------------------------------------------------------------


class _Server:
    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: list[int] = []  # statuses to answer next, then 201/200
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = CaseInsensitiveDict(self.headers.items())
                status = outer.receive(self.path, headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        return Handler

    def next_status(self, ok: int) -> int:
        return self.answers.pop(0) if self.answers else ok


class Gateway(_Server):
    """The region's WhatsApp/Telegram gateway: keeps each POST (headers, raw body)."""

    def receive(self, path: str, headers: dict, body: bytes) -> int:
        status = self.next_status(200)
        self.received.append({"headers": headers, "body": body, "status": status})
        return status


class PushService(_Server):
    """A push service with its browser: subscriptions made here, pushes checked and decrypted."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}
        self.gone: set[str] = set()
        self.problems: list[str] = []
        super().__init__()

    def subscription(self, name: str) -> dict:
        """What a browser's pushManager.subscribe() would hand the page, as JSON."""
        key = ec.generate_private_key(ec.SECP256R1())
        auth = bytes(range(16)) if name == "fixed" else os.urandom(16)
        self.keys[name] = (key, auth)
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": f"{self.origin}/push/{name}",
                "keys": {"p256dh": b64(public), "auth": b64(auth)}}  # fmt: skip

    def receive(self, path: str, headers: dict, body: bytes) -> int:
        name = path.rsplit("/", 1)[-1]
        if name in self.gone:
            return 410
        problem = self._check_vapid(headers.get("Authorization", ""))
        key, auth = self.keys[name]
        try:
            payload = json.loads(
                http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm")
            )
        except Exception as error:  # noqa: BLE001 (a body we cannot read is the finding)
            problem = problem or f"cannot decrypt: {error!r}"
            payload = None
        if headers.get("Content-Encoding") != "aes128gcm":
            problem = problem or "not aes128gcm"
        if problem:
            self.problems.append(problem)
            return 400
        status = self.next_status(201)
        self.received.append({"name": name, "payload": payload, "headers": headers,
                              "status": status})  # fmt: skip
        return status

    def _check_vapid(self, authorization: str) -> str:
        if not authorization.startswith("vapid "):
            return "no VAPID authorization"
        parts = dict(p.strip().split("=", 1) for p in authorization[6:].split(","))
        token, key = parts.get("t", ""), parts.get("k", "")
        try:
            header, claims, signature = token.split(".")
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
            raw = unb64(signature)
            der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
            public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception as error:  # noqa: BLE001
            return f"bad VAPID signature: {error!r}"
        claims = json.loads(unb64(claims))
        if claims.get("aud") != self.origin:
            return f"aud {claims.get('aud')} is not {self.origin}"
        if not claims.get("sub") or claims.get("exp", 0) < time.time():
            return "sub missing or exp passed"
        return ""
