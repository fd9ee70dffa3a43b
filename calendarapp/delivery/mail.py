"""E-mail over SMTP with the standard library: `SMTP_URL` (smtp://user:password@host:587 with
STARTTLS when the server offers it, smtps://…:465 for TLS from the start, smtp://host:25 for a
local relay) and `MAIL_FROM`. A message is plain text with a simple HTML part, in the person's
language, with a link to the page and `List-Unsubscribe` pointing at the person's settings.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template

from .results import Outcome, failed, retry, sent

TIMEOUT = 20


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    tls: bool  # TLS from the start (smtps)
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> Server:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:password@host:587")
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            tls=tls,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
        )


def message(to: str, subject: str, context: dict, message_id: str) -> EmailMessage:
    """One e-mail from the templates delivery/email.txt and .html (`context`: notices, site)."""
    mail = EmailMessage()
    mail["From"] = current_app.config["MAIL_FROM"]
    mail["To"] = formataddr(("", to))
    mail["Subject"] = subject
    mail["Message-ID"] = message_id  # the same on a retry: a receiver can tell a repeat
    mail["Auto-Submitted"] = "auto-generated"
    settings = context["settings_url"]
    mail["List-Unsubscribe"] = f"<{settings}>"
    mail.set_content(render_template("delivery/email.txt", **context))
    mail.add_alternative(render_template("delivery/email.html", **context), subtype="html")
    return mail


def send(mail: EmailMessage) -> Outcome:
    """Hand the message to the server: sent; retry later (the server is away, or answered 4xx);
    or failed for good (5xx: the address or the message is refused)."""
    server = Server.from_url(current_app.config["SMTP_URL"])
    try:
        if server.tls:
            client = smtplib.SMTP_SSL(
                server.host, server.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        with client:
            if not server.tls and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
            if server.user:
                client.login(server.user, server.password)
            client.send_message(mail)
    except smtplib.SMTPRecipientsRefused as refused:
        codes = [code for code, _msg in refused.recipients.values()]
        return _by_code(min(codes) if codes else 450, "recipient refused")
    except smtplib.SMTPResponseException as error:
        return _by_code(error.smtp_code, str(error.smtp_error)[:200])
    except (OSError, smtplib.SMTPException) as error:
        return retry(f"{type(error).__name__}: {error}"[:200])
    return sent()


def _by_code(code: int, text: str) -> Outcome:
    return failed(f"SMTP {code}: {text}") if code >= 500 else retry(f"SMTP {code}: {text}")
