"""One way to answer a request: a page, or its fragment for htmx; and the friendly error pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn, TypeVar
from urllib.parse import quote, urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from .errors import Refused
from .extensions import db, htmx, login_manager
from .i18n import phrase as _
from .logs import MaskFeedTokens, mask
from .parsing import MAX_ID, digits  # larger numbers are not ids: the databases refuse them

T = TypeVar("T")


def id_or_404(value: int) -> int:
    """An id from the address, or 404 when it is too large to be one."""
    if value > MAX_ID:
        abort(404)
    return value


def wants_fragment() -> bool:
    """An htmx swap asks for the fragment; a boosted request or a history restore needs the page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str, status: int = 200, /, **context) -> Response:
    """Render the fragment for an htmx swap, the whole page otherwise, always with Vary."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def form_error(form, error) -> None:
    """Show a refusal (errors.Refused) by the field it is about, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and isinstance(getattr(field, "errors", None), list):
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def attempt(change: Callable[..., T], *args, **kwargs) -> tuple[T | None, Refused | None]:
    """Make a change (`change(*args, **kwargs)`) and commit it once: (its result, None). A
    refusal (errors.Refused: the user's mistake, or someone else saved first) rolls the whole
    change back instead: (None, the refusal), for the view to show by its status and message.
    The one place where refusals are caught.

    Two requests racing on one unique value (a form's one-time token: quick double taps) both
    find nothing and both insert; the database refuses the second. Its change then runs once
    more, and now finds the first one's row, as a later submit would."""
    try:
        return _commit(change, *args, **kwargs)
    except IntegrityError:
        db.session.rollback()
        return _commit(change, *args, **kwargs)


@contextmanager
def keeping_loaded() -> Iterator[None]:
    """Within: a commit leaves what this request loaded as it is — the values just saved —
    instead of expiring it, so the page after a change renders from the objects the change
    worked on rather than loading them again (a refusal's rollback still expires everything).
    For views whose services change their objects through the ORM only; the item page's steps
    are tested against a fresh look (tests/web/test_item_steps_kept.py)."""
    session = db.session()
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = expiring


def _commit(change: Callable[..., T], *args, **kwargs) -> tuple[T | None, Refused | None]:
    try:
        result = change(*args, **kwargs)
        db.session.commit()
    except Refused as error:
        db.session.rollback()
        return None, error
    return result, None


def save(form, change: Callable[..., T], *args, **kwargs) -> T | bool | None:
    """`attempt` for a form: what the change returned (True for nothing), or None when it was
    refused, the refusal then shown by its field or above the form and kept as `form.refusal`
    (`form.http_status`: 409 when someone saved first, 422 otherwise)."""
    result, refused = attempt(change, *args, **kwargs)
    if refused is not None:
        form_error(form, refused)
        form.refusal = refused
        return None
    return True if result is None else result


def version_of(form) -> int:
    """The version an edit form was loaded at; a form without one is incomplete (400)."""
    raw = form.version.data
    if isinstance(raw, int):
        return raw
    raw = (raw or "").strip()
    if not digits(raw) or int(raw) > MAX_ID:
        fail(400, _("The form was incomplete."))
    return int(raw)


def site_root() -> str:
    """The site's public address: PUBLIC_URL when set (never the request's Host header, which a
    client chooses), else the address of this request, for local runs."""
    return (current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """An absolute link for feeds, QR codes and WhatsApp texts, built on site_root()."""
    return site_root() + url_for(endpoint, **values)


def attachment(filename: str) -> str:
    """Content-Disposition for a download: an ASCII name old browsers read, and the full name
    for new ones (RFC 6266); quotes, backslashes and line breaks never reach the header."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# A text cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """A text for a downloaded sheet's cell that no spreadsheet runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = attachment(filename)
    return response


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site is a place to return to."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


def error_page(code: int, detail: str | None = None) -> Response:
    titles = {
        400: _("Bad request"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Not allowed"),
        409: _("Conflict"),
        413: _("Too large"),
        500: _("Something went wrong"),
    }
    texts = {
        400: _("The address or the form has something we cannot read."),
        403: _("You do not have access to this page."),
        404: _("The page does not exist, or you do not have access to it."),
        405: _("This action is not available here."),
        409: _("Someone else changed this in the meantime."),
        413: _("What you sent is too large."),
        500: _("The error has been recorded. Please try again in a moment."),
    }
    response = make_response(
        render_template(
            "errors/error.html",
            code=code,
            title=titles.get(code, titles[500]),
            text=detail or texts.get(code, texts[500]),
        ),
        code,
    )
    response.vary.add("HX-Request")
    return response


def fail(code: int, message: str) -> NoReturn:
    """Stop the request with a friendly error page that says what was wrong."""
    abort(error_page(code, message))


def register_error_pages(app: Flask) -> None:
    app.logger.addFilter(MaskFeedTokens())  # a feed token is a password, in every log line

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_page(
            400,
            _("Your form has expired or was sent from elsewhere. Reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # abort(error_page(...)) already says what went wrong
            return error.response
        if error.code is None or error.code < 400:
            return error
        return error_page(error.code)

    @app.errorhandler(StaleDataError)
    def stale_row(error: StaleDataError):
        """Two saves of the same version raced; the database caught the second one."""
        db.session.rollback()
        return error_page(409)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()  # the error page must not run on a failed transaction
        app.logger.exception("Unhandled error on %s %s", request.method, mask(request.path))
        return error_page(500)


def register_unauthorized(app: Flask) -> None:
    """An expired session during an htmx swap sends the whole page to the login, not a fragment."""

    @login_manager.unauthorized_handler
    def unauthorized():
        flash(_("Please sign in to open this page."), "info")
        return hx_redirect(url_for("accounts.login", next=request.full_path.rstrip("?")), 302)


def hx_redirect(target: str, code: int = 303) -> Response:
    """Send the whole page to `target`: an htmx request gets HX-Redirect (a fragment swap would
    put a page inside a page), any other a plain redirect."""
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=code)


def triggering(response: Response, event: str) -> Response:
    """Tell the page's other regions that something changed (HX-Trigger), so they refresh."""
    response.headers["HX-Trigger"] = event
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a page marked as not using the session (a
    public, cacheable page) is answered without any: no `Set-Cookie` whoever asks (a shared
    cache would hand one person's session to everybody), and no "Vary: Cookie" although
    extensions looked into it. What they changed in the session is kept for the next page."""

    def save_session(self, app, session, response) -> None:
        if g.get("session_unused"):
            return
        super().save_session(app, session, response)


def mark_session_unused() -> None:
    """This answer is the same for everybody, signed in or not (Flask-Login still reads the
    session for every template and after every request)."""
    g.session_unused = True


_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")  # the same in a path and in a query string
_MARK = "987654321"  # a value no address of ours holds, valid for int and string arguments


def url_maker(endpoint: str, key: str, **fixed) -> Callable[[object], str]:
    """`url_for(endpoint, key=value, **fixed)` for many values at the cost of one: the address
    is built once around a marker, then each value is joined in. For links repeated on every
    day and chip of a calendar grid."""
    built = url_for(endpoint, **{key: _MARK}, **fixed)
    if built.count(_MARK) != 1:
        return lambda value: url_for(endpoint, **{key: value}, **fixed)
    before, after = built.split(_MARK)

    def make(value: object) -> str:
        text = str(value)  # ids, days, weeks; anything else is quoted by url_for itself
        if _PLAIN.fullmatch(text):
            return before + text + after
        return url_for(endpoint, **{key: value}, **fixed)

    return make
