"""The region's own gateway (a WhatsApp gateway, a Telegram bot): each notice is a JSON POST to
`WEBHOOK_URL`, signed with HMAC-SHA256 over the exact body with `WEBHOOK_SECRET`
(`X-Kalender-Signature: sha256=<hex>`), carrying the delivery's id so the gateway can tell a
repeat (`X-Kalender-Delivery`). Retried like every channel: a 5xx or no answer later, a 4xx never.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
from flask import current_app

from .results import Outcome, failed, retry, sent

TIMEOUT = 15.0


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send(delivery_id: int, payload: dict) -> Outcome:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    secret = current_app.config["WEBHOOK_SECRET"]
    headers = {
        "Content-Type": "application/json",
        "X-Kalender-Delivery": str(delivery_id),
        "X-Kalender-Signature": signature(secret, body),
        "User-Agent": "kalender-konten",
    }
    try:
        answer = httpx.post(
            current_app.config["WEBHOOK_URL"], content=body, headers=headers, timeout=TIMEOUT
        )
    except httpx.HTTPError as error:
        return retry(type(error).__name__)
    if answer.status_code < 300:
        return sent()
    if answer.status_code in (408, 425, 429) or answer.status_code >= 500:
        return retry(f"HTTP {answer.status_code}")
    return failed(f"HTTP {answer.status_code}")
