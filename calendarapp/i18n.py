"""Language choice and Babel's formats for dates and local times."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_time
from flask import current_app, g, has_request_context, request, session
from flask_babel import LazyString, get_locale, get_translations
from flask_login import current_user

from .timeutil import local, zone_label


def select_locale() -> str:
    """The user's saved language, else the one chosen in this browser, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and services outside a request speak the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    if request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def language() -> str:
    """`str(get_locale())`, which a calendar page asks for hundreds of times (each chip's words,
    days and times): read where Flask-Babel keeps the locale it chose for the request (and
    where `force_locale` and `refresh` change it), else chosen by `get_locale`. 1.2 µs instead
    of 2.7 (measured)."""
    try:
        chosen = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):  # not chosen yet, or outside any app context
        chosen = None
    return str(chosen if chosen is not None else get_locale())


# A calendar page names the same days and times again and again (a month: 42 days, three
# patterns each); Babel's formatting is pure, so each answer is kept per language.
@lru_cache(maxsize=8192)
def _day(day: date, format: str, language: str) -> str:
    return format_date(day, format=format, locale=language)


@lru_cache(maxsize=8192)
def _time(instant: datetime, zone_name: str, language: str) -> str:
    moment = local(instant, zone_name)
    return f"{format_time(moment, format='short', tzinfo=moment.tzinfo, locale=language)} " + (
        zone_label(zone_name)
    )


# Templates translate the same few dozen phrases on every page; the catalogues do not change
# while the app runs, so each phrase is looked up once per language (Flask-Babel would find the
# request's catalogue again for every call).
@lru_cache(maxsize=8192)
def _phrase(language: str, message: str) -> str:
    return get_translations().ugettext(message)  # `language` is the current one on a miss


def template_gettext(message: str) -> str:
    return _phrase(language(), message)


@lru_cache(maxsize=8192)
def _plural(language: str, singular: str, plural: str, n: int) -> str:
    return get_translations().ungettext(singular, plural, n)  # as `_phrase`


def template_ngettext(singular: str, plural: str, n: int) -> str:
    return _plural(language(), singular, plural, n)


def plural(singular: str, plural: str, n: int, **values: object) -> str:
    """Flask-Babel's `ngettext` from the same memo: "%(num)d hari lalu" for every row."""
    return _plural(language(), singular, plural, n) % {"num": n, **values}


def phrase(message: str, **values: object) -> str:
    """Flask-Babel's `gettext`, answered from the same per-language memo: for the words said
    again on every chip of a calendar. Modules import it as `_`, so Babel extracts their words."""
    text = _phrase(language(), message)
    return text % values if values else text


def lazy_phrase(message: str, **values: object) -> LazyString:
    """Flask-Babel's `lazy_gettext`, read from the same memo as `phrase`: the labels of states,
    kinds and form fields are read again on every row and field (7 µs each through Flask-Babel,
    1.5 from the memo, measured). Modules import it as `_l`, so Babel extracts their words."""
    return LazyString(phrase, message, **values)


def format_day(day: date, format: str = "full") -> str:
    """'Senin, 23 November 2026' in Indonesian, 'Monday, November 23, 2026' in English."""
    return _day(day, format, language())


def format_day_pattern(day: date, pattern: str) -> str:
    return _day(day, pattern, language())


def day_in(language: str, day: date, pattern: str) -> str:
    """As `format_day_pattern`, in a language the caller already knows (a grid's days)."""
    return _day(day, pattern, language)


def format_local_time(instant: datetime, zone_name: str) -> str:
    """'09.00 WIB': the time in the unit's zone with the zone's Indonesian label."""
    return _time(instant, zone_name, language())


def local_time_in(language: str, instant: datetime, zone_name: str) -> str:
    """As `format_local_time`, in a language the caller already knows (a grid's hundreds)."""
    return _time(instant, zone_name, language)


class WTFormsTranslations:
    """WTForms asks its forms for gettext/ngettext; answer from our own catalogue.

    WTForms ships no Indonesian messages, so its messages are in ours (see forms_i18n.py).
    """

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Our catalogue holds both English forms as plain messages (Indonesian has one form).
        return self.gettext(singular if n == 1 else plural)
