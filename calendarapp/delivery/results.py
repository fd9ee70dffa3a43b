"""What a channel says after trying to send: sent, try again later, or failed for good."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    state: str  # "sent", "retry" or "failed"
    error: str = ""
    device_gone: bool = False  # a push subscription the push service no longer knows


def sent() -> Outcome:
    return Outcome("sent")


def retry(error: str) -> Outcome:
    return Outcome("retry", error)


def failed(error: str, device_gone: bool = False) -> Outcome:
    return Outcome("failed", error, device_gone)
