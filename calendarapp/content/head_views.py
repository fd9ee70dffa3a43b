"""The unit head's approval: an editor makes the link (`/items/<id>/head-approval`), the head
opens it without signing in (`/approve/<token>`: GET shows, only a POST acts)."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup

from ..forms_i18n import Form
from ..web import attempt, public_url, render
from . import head
from .views import load_item

bp = Blueprint("head", __name__)


def _private(response):
    """A page holding a live token: never kept by a cache, never named to another site."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.post("/items/<int:item_id>/head-approval")
@login_required
def request_approval(item_id: int) -> ResponseReturnValue:
    item = load_item(item_id)
    if not Form().validate():
        abort(400)
    made, refused = attempt(head.request_link, item, current_user)
    if refused is not None:
        flash(str(refused.message), "error")
        return redirect(url_for("content.detail", item_id=item.id), 303)
    link, token = made
    url = public_url("head.approve", token=token)
    text = head.wa_text(item, url)
    number = item.unit.head_whatsapp
    return _private(
        render(
            "content/head_link.html",
            "content/head_link.html",
            item=item,
            link=link,
            url=url,
            whatsapp=head.wa_link(number, text) if number else None,
            text=text,
            qr=Markup(segno.make(url, error="m").svg_inline(scale=4, dark="#0f172a")),  # noqa: S704
        )
    )


@bp.route("/approve/<token>", methods=["GET", "POST"])
def approve(token: str) -> ResponseReturnValue:
    """The head's page: the post as it will go out, Setujui and Minta perbaikan. Opening it (a
    link preview, a mail scanner) changes nothing."""
    seen = head.look(token)
    if seen is None:
        return _gone("unknown", None, 404)
    form, decided = Form(), None
    if request.method == "POST" and seen.state == "open" and form.validate():
        decided = _decide(token, form)
    seen = decided or seen
    if seen.state != "open":
        return _gone(seen.state, seen.link, 200 if decided else 410)
    status = 422 if form.form_errors else 200
    page = "content/head_approve.html"
    shown = {"link": seen.link, "item": seen.link.item, "form": form, "note_max": head.NOTE_MAX}
    return _private(render(page, page, status, **shown))


def _decide(token: str, form: Form):
    """Apply the head's decision from the form; a refusal is shown above it."""
    raw = request.form.get("item", "")
    item_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else 0
    approve_it = request.form.get("decision") == "approve"
    _done, refused = attempt(head.decide, token, item_id, approve_it, request.form.get("note", ""))
    if refused is not None:
        form.form_errors.append(str(refused.message))
        return None
    return head.look(token)


def _gone(state: str, link, status: int):
    page = "content/head_gone.html"
    return _private(render(page, page, status, state=state, link=link))
