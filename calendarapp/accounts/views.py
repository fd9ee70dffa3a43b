import math

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from .. import clock
from ..extensions import db, login_manager
from ..i18n import phrase as _
from ..web import error_page, render, safe_next
from . import services, throttle
from .forms import LocaleForm, LoginForm, LogoutForm
from .models import User

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(value: str) -> User | None:
    return services.find_session(value)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    default = url_for("calendar.month")
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), default))
    form = LoginForm(next=request.args.get("next", ""))
    error, status = None, 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        user, error, status = _sign_in(form.email.data, form.password.data)
        if user is not None:
            return redirect(safe_next(form.next.data, default), code=303)
    return render(
        "accounts/login.html", "accounts/_login_form.html", status, form=form, error=error
    )


def _sign_in(email: str, password: str) -> tuple[User | None, str | None, int]:
    """Sign the person in: the user, or why not and the status to answer with."""
    address = request.remote_addr or "-"
    lock = throttle.lock_for(email, address)
    if lock is not None:
        minutes = max(1, math.ceil((lock.until - clock.now()).total_seconds() / 60))
        return None, _locked_out(minutes), 429
    user = services.authenticate(email, password)
    if user is None:
        throttle.record(email, address, succeeded=False)
        db.session.commit()
        return None, _("Wrong email or password."), 401
    if not user.is_active:
        return None, _("This account has been deactivated. Ask your coordinator."), 403
    session.clear()  # no session fixation: a fresh session for the signed-in user
    services.start_session(user)
    throttle.record(email, address, succeeded=True)
    login_user(user)
    services.record_login(user)
    db.session.commit()
    return user, None, 303


def _locked_out(minutes: int) -> str:
    return ngettext(
        "Too many wrong passwords. Try again in %(num)d minute, or ask your coordinator.",
        "Too many wrong passwords. Try again in %(num)d minutes, or ask your coordinator.",
        minutes,
    )


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> ResponseReturnValue:
    form = LogoutForm()
    if request.method == "POST":
        if form.validate_on_submit():
            if current_user.is_authenticated:
                services.end_session(current_user)
                db.session.commit()
            logout_user()
            session.clear()
            flash(_("You have signed out."), "info")
            response = redirect(url_for("accounts.login"), code=303)
            # nothing of the signed-in pages stays in this browser's cache (back button)
            response.headers["Clear-Site-Data"] = '"cache"'
            return response
        return error_page(400)
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render("accounts/logout.html", "accounts/logout.html", form=form)


@bp.post("/locale")
def set_locale() -> ResponseReturnValue:
    form = LocaleForm()
    languages = current_app.config["LANGUAGES"]
    if not form.validate_on_submit() or form.locale.data not in languages:
        return error_page(400)
    session["locale"] = form.locale.data
    if current_user.is_authenticated:
        services.set_locale(current_user, form.locale.data)
        db.session.commit()
    return redirect(safe_next(form.next.data, url_for("calendar.month")), code=303)


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    return redirect(url_for("calendar.month"))
