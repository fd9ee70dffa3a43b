"""Web Push (pywebpush: VAPID, aes128gcm). The VAPID key pair is made once into the instance
folder (`vapid_private.pem`, like the secret key) unless `VAPID_PRIVATE_KEY` gives one (PEM);
every host must use the same pair, or browsers refuse the others' pushes.

A push carries what happened and where (texts.notice), never a caption. Its `Topic` is the
notice's, so a push service holding an undelivered repeat replaces it, and the service worker
shows it with the notice's tag, so a repeat that arrives replaces the first on the screen.
"""

from __future__ import annotations

import base64
import json
import os
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from .results import Outcome, failed, retry, sent

TTL = 24 * 3600  # a push service keeps an undelivered notice a day
TIMEOUT = 15


def _key_file() -> Path:
    return Path(current_app.instance_path) / "vapid_private.pem"


def vapid() -> Vapid02:
    """The region's VAPID key: from VAPID_PRIVATE_KEY, else the instance file (made once)."""
    kept = current_app.extensions.get("vapid")
    if kept is not None:
        return kept
    pem = current_app.config.get("VAPID_PRIVATE_KEY")
    if pem:
        key = Vapid02.from_pem(pem.encode())
    else:
        path = _key_file()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            made = Vapid02()
            made.generate_keys()
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(made.private_pem())
        key = Vapid02.from_file(str(path))
    current_app.extensions["vapid"] = key
    return key


def public_key() -> str:
    """The applicationServerKey a browser subscribes with (base64url, uncompressed point)."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def subject() -> str:
    """Whom a push service may contact: VAPID_SUBJECT, else the sender address, else the site."""
    config = current_app.config
    if config.get("VAPID_SUBJECT"):
        return config["VAPID_SUBJECT"]
    sender = parseaddr(config.get("MAIL_FROM") or "")[1]
    if sender:
        return f"mailto:{sender}"
    return config.get("PUBLIC_URL") or "mailto:admin@localhost"


def send(endpoint: str, p256dh: str, auth: str, payload: dict, topic: str, urgent: bool) -> Outcome:
    subscription = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    # pywebpush writes "aud" into the claims it is given: a fresh dict for every push
    claims = {"sub": subject()}
    try:
        webpush(
            subscription,
            json.dumps(payload, ensure_ascii=False),
            vapid_private_key=vapid(),
            vapid_claims=claims,
            ttl=TTL,
            timeout=TIMEOUT,
            headers={"Urgency": "high" if urgent else "normal", "Topic": topic},
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            return failed(f"HTTP {status}: subscription gone", device_gone=True)
        if status is None or status == 429 or status >= 500:
            return retry(f"HTTP {status}" if status else str(error)[:200])
        return failed(f"HTTP {status}")
    except OSError as error:  # connection refused, DNS, timeouts from requests
        return retry(type(error).__name__)
    return sent()
