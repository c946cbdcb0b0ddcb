"""Sending invitation emails over SMTP: optional, off unless ASSESS_SMTP_HOST is set.

The recruiter always sees the link; email is a convenience. A failure to send is reported
to the recruiter and never loses the invitation.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from assess.textrules import as_one_line


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send mail."""

    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    sender: str = "assess@localhost"
    starttls: bool = True
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings | None:
        """Settings from the app config, or None when email is off."""
        host = str(config.get("SMTP_HOST") or "").strip()
        if not host:
            return None
        return cls(
            host=host,
            port=int(config.get("SMTP_PORT") or 587),
            username=str(config.get("SMTP_USERNAME") or ""),
            password=str(config.get("SMTP_PASSWORD") or ""),
            sender=str(config.get("SMTP_SENDER") or "assess@localhost"),
            starttls=bool(config.get("SMTP_STARTTLS", True)),
        )


def invitation_message(
    sender: str, to: str, name: str, position: str, link: str, days: int
) -> EmailMessage:
    """The invitation email (plain text; the link is the only credential in it)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"Your assessment for {as_one_line(position)}"
    message.set_content(
        f"Hello {name},\n\n"
        f"You are invited to take a timed assessment for the position {position}.\n"
        f"Open this link when you are ready to start (it works for {days} days, for one "
        f"attempt):\n\n{link}\n\n"
        "The assessment has quiz questions and Python coding tasks. Your work is saved as you "
        "go, and you can continue on another device with the same link.\n"
    )
    return message


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send ``message``; raises OSError/smtplib.SMTPException on failure."""
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(message)
