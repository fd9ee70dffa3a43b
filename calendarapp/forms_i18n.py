"""Messages of WTForms and Flask-WTF, listed so that extraction puts them in our catalogue."""

import re

import wtforms
import wtforms.widgets
from flask_wtf import FlaskForm
from markupsafe import Markup, escape

from .i18n import WTFormsTranslations
from .i18n import lazy_phrase as _l
from .parsing import MAX_ID, digits
from .timeutil import FIRST_YEAR, LAST_YEAR

MESSAGES = (
    _l("This field is required."),
    _l("Field must be at least %(min)d character long."),
    _l("Field must be at least %(min)d characters long."),
    _l("Field cannot be longer than %(max)d character."),
    _l("Field cannot be longer than %(max)d characters."),
    _l("Field must be exactly %(max)d character long."),
    _l("Field must be exactly %(max)d characters long."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Not a valid choice."),
    _l("'%(value)s' is not a valid choice for this field."),
    _l("'%(value)s' are not valid choices for this field."),
    _l("Invalid URL."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Invalid email address."),
    _l("Invalid input."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF session token is missing."),
)


def optional_int(value) -> int | None:
    """A select's value as an id, or None for its empty choice ("–"); ValueError otherwise."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    if not digits(str(value)) or int(value) > MAX_ID:
        raise ValueError(value)
    return int(value)


# Control characters (C0 and C1) other than tab and line breaks: a NUL passes an e-mail check
# and PostgreSQL refuses it on save; none of them belongs in anything people type.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = _l("This text holds an invisible control character; please type it again.")


class Form(FlaskForm):
    """Every form of the project: CSRF from Flask-WTF, messages from our catalogue, text free
    of control characters, and the HTTP status to answer with when it is shown (web.save keeps a
    refused change's `refusal`)."""

    refusal = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            text = field.data if isinstance(field, wtforms.StringField) else None
            if isinstance(text, str) and CONTROL_CHARACTERS.search(text):
                field.errors = [*field.errors, str(CONTROL_MESSAGE)]
                valid = False
        return valid

    class Meta:
        def get_translations(self, form):
            return WTFormsTranslations()

    @property
    def http_status(self) -> int:
        """200 for a form to fill in; a sent form shown again is 422, or 409 if someone else
        saved first."""
        if self.refusal is not None:
            return self.refusal.status
        return 422 if self.is_submitted() else 200


# ---- widgets: WTForms' own, their attributes written without `Markup.format` -----------------


def attributes(**kwargs) -> Markup:
    """WTForms' `html_params`, the very same text (sorted names, `class_` and `for_`, `data_` and
    `aria_` hyphenated, True bare, False left out, values escaped and quoted), written with
    f-strings: `html_params` formats each attribute through `Markup.format`, 34 µs for a
    checkbox's five (7 here, measured), and an item's page renders some 30 inputs. A test holds
    the two to the same output."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = wtforms.widgets.core.clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704 (every name and value escaped above)


def _fast(widget: type) -> type:
    """The widget with its attributes written by `attributes` (WTForms' `Input.html_params` is
    there to be replaced)."""
    return type(widget.__name__, (widget,), {"html_params": staticmethod(attributes)})


TextInput = _fast(wtforms.widgets.TextInput)
HiddenInput = _fast(wtforms.widgets.HiddenInput)
CheckboxInput = _fast(wtforms.widgets.CheckboxInput)
PasswordInput = _fast(wtforms.widgets.PasswordInput)
URLInput = _fast(wtforms.widgets.URLInput)
NumberInput = _fast(wtforms.widgets.NumberInput)
DateInput = _fast(wtforms.widgets.DateInput)
TimeInput = _fast(wtforms.widgets.TimeInput)
DateTimeLocalInput = _fast(wtforms.widgets.DateTimeLocalInput)


class TextArea(wtforms.widgets.TextArea):
    """WTForms' text area, its attributes written by `attributes` (its `__call__` as WTForms
    writes it, but for that)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        params, text = attributes(name=field.name, **kwargs), escape(field._value())
        return Markup(f"<textarea {params}>\r\n{text}</textarea>")  # noqa: S704 (escaped)


class Select(wtforms.widgets.Select):
    """WTForms' select, its attributes and each option's written by `attributes` (a list of 40
    themes took 0.59 ms of an item's page, 0.2 this way, measured). Its `__call__` is WTForms'
    own but for that, and it calls `render_option` directly (WTForms inspects its signature on
    every select)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        html = [f"<select {attributes(name=field.name, **kwargs)}>"]
        if field.has_groups():
            for group, choices in field._iter_groups_normalized():
                if group is not None:
                    html.append(f"<optgroup {attributes(label=group)}>")
                html.extend(self.render_option(choice) for choice in choices)
                if group is not None:
                    html.append("</optgroup>")
        else:
            html.extend(self.render_option(choice) for choice in field._iter_choices_normalized())
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 (every part escaped where it is written)

    @classmethod
    def render_option(cls, choice, **kwargs):
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        options = {"value": value, **(choice.render_kw or {}), **kwargs}
        if choice.selected:
            options["selected"] = True
        label = escape(choice.label or choice.value)
        return Markup(f"<option {attributes(**options)}>{label}</option>")  # noqa: S704 (escaped)


# ---- fields: WTForms' own with those widgets ------------------------------------------------


class IntegerField(wtforms.IntegerField):
    """A whole number in ASCII digits that the databases can store (ids, versions, counts)."""

    widget = NumberInput()

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] not in ("", None):
            raw = str(valuelist[0]).strip()
            if not digits(raw.removeprefix("-")) or not -MAX_ID <= int(raw) <= MAX_ID:
                self.data = None
                raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)


class DateField(wtforms.DateField):
    """A day of the calendar's years (2000–2100): a plan in the year 1 or 9999 is a typo."""

    widget = DateInput()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(self.gettext("Not a valid date value."))


class StringField(wtforms.StringField):
    widget = TextInput()


class HiddenField(wtforms.HiddenField):
    widget = HiddenInput()


class BooleanField(wtforms.BooleanField):
    widget = CheckboxInput()


class PasswordField(wtforms.PasswordField):
    widget = PasswordInput()


class URLField(wtforms.URLField):
    widget = URLInput()


class TimeField(wtforms.TimeField):
    widget = TimeInput()


class DateTimeLocalField(wtforms.DateTimeLocalField):
    widget = DateTimeLocalInput()


class SelectField(wtforms.SelectField):
    widget = Select()


class TextAreaField(wtforms.TextAreaField):
    widget = TextArea()


class CheckboxList(wtforms.SelectMultipleField):
    """Several choices as checkboxes: the templates lay out each option's input and label."""

    widget = wtforms.widgets.ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def checkboxes(self, **kwargs) -> list[tuple[Markup, object]]:
        """Each option's `<input type="checkbox">` and its label: the very text of WTForms'
        `for option in field: option(**kwargs)`, without making a field of each option: a
        training's form, whose lists hold a kabupaten's units and people (341 boxes), 21.9 ->
        14.7 ms a look; an item's 18 boxes 0.43 -> 0.25 ms (measured). A test holds the two to
        the same output."""
        given = {**(self.render_kw or {}), **kwargs}
        given = {wtforms.widgets.core.clean_key(k): v for k, v in given.items()}
        flags = {
            k: (value() if callable(value) else value)
            for k in dir(self.flags)
            if k in CheckboxInput.validation_attrs and k not in given
            for value in (getattr(self.flags, k),)
        }
        boxes = []
        for n, choice in enumerate(self._iter_choices_normalized()):
            params = {"id": f"{self.id}-{n}", "type": "checkbox", "value": str(choice.value)}
            if choice.selected:
                params["checked"] = True
            params.update(given)
            params.update(flags)
            tag = f"<input {attributes(name=self.name, **params)}>"
            boxes.append((Markup(tag), choice.label or choice.value))  # noqa: S704 (escaped)
        return boxes
