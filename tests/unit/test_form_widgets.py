"""The project's widgets (forms_i18n) write their attributes without `Markup.format`: the HTML
must be the very same as WTForms' own widgets write, whatever the values and labels hold."""

from __future__ import annotations

import pytest
import wtforms
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from calendarapp import forms_i18n
from calendarapp.forms_i18n import Select, SelectField, attributes

CHOICES = [
    (None, "–"),
    (1, "Satpol PP"),
    (2, 'Tema "banjir" <b>&</b>'),
    ('x"><script>alert(1)</script>', "a value that tries to leave its attribute"),
    (Markup('"already" safe'), Markup("<em>marked</em> label")),
    (True, "yes"),
    ("", ""),
    (3, None),
]


def _form(field_class, choices=CHOICES, data=None, **field_args):
    class TheForm(wtforms.Form):
        pick = field_class("Pick", choices=choices, **field_args)

    return TheForm(MultiDict(data or {}))


def _both(choices=CHOICES, data=None, **render_args):
    ours = _form(SelectField, choices, data, validate_choice=False).pick
    theirs = _form(wtforms.SelectField, choices, data, validate_choice=False).pick
    assert isinstance(ours.widget, Select) and not isinstance(theirs.widget, Select)
    return str(ours(**render_args)), str(theirs(**render_args))


@pytest.mark.parametrize("picked", ["None", "1", "2", 'x"><script>alert(1)</script>', "True", ""])
def test_the_options_are_written_as_wtforms_writes_them(picked):
    ours, theirs = _both(data={"pick": picked})
    assert ours == theirs
    assert ours.count("<option") == len(CHOICES)
    assert ours.count(" selected") >= 1  # the picked one (or one equal to it) is marked


def test_attributes_given_when_rendering_and_groups_give_the_same_html_too():
    ours, theirs = _both(disabled=True, class_="wide", data_x="1")
    assert ours == theirs and "disabled" in ours
    groups = [
        wtforms.SelectChoice(1, "Satu", optgroup="Region"),
        wtforms.SelectChoice(3, "Tiga", optgroup="Region"),
        wtforms.SelectChoice(2, "Dua <2>", optgroup="Unit"),
    ]
    ours, theirs = _both(choices=groups, data={"pick": "2"})
    assert ours == theirs and "<optgroup" in ours and "Dua &lt;2&gt;" in ours


def test_an_option_with_its_own_attributes_is_left_to_wtforms():
    choices = [(1, "Satu", {"disabled": True}), (2, "Dua", {})]
    ours, theirs = _both(choices=choices)
    assert ours == theirs
    assert '<option disabled value="1">Satu</option>' in ours


def test_nothing_a_label_or_value_holds_leaves_its_place():
    ours, _theirs = _both(data={"pick": "1"})
    assert "<script>" not in ours and "<b>" not in ours
    assert 'value="x&#34;&gt;&lt;script&gt;' in ours
    assert 'value="&quot;already&quot; safe"' in ours  # a Markup value is quoted all the same
    assert '<option selected value="1">Satpol PP</option>' in ours


ATTRIBUTE_SETS = [
    {},
    {"id": "title", "name": "title", "type": "text", "value": 'Patroli <malam> & "razia"'},
    {"checked": True, "disabled": False, "value": 12, "id": "writers-0", "name": "writers"},
    {"class_": "wide", "for_": "x", "data_drop_day": "2026-12-07", "aria_describedby": "t-errors"},
    {"value": Markup('a "marked" <b>value</b>'), "title": Markup("&amp; kept")},
    {"value": None, "min": 0, "max": 10.5, "placeholder": "#SatpolPPSigap", "required": True},
    {"onclick": "alert('x')", "href": "javascript:void(0)", "z": "", "a": "'single'"},
]


@pytest.mark.parametrize("given", ATTRIBUTE_SETS)
def test_attributes_are_written_as_wtforms_writes_them(given):
    ours = attributes(**given)
    assert ours == wtforms.widgets.html_params(**given)
    assert isinstance(ours, Markup)


@pytest.mark.parametrize(
    ("ours", "theirs", "data"),
    [
        (forms_i18n.StringField, wtforms.StringField, 'Tema "banjir" <b>'),
        (forms_i18n.HiddenField, wtforms.HiddenField, 'x"><script>'),
        (forms_i18n.BooleanField, wtforms.BooleanField, "y"),
        (forms_i18n.PasswordField, wtforms.PasswordField, "secret"),
        (forms_i18n.URLField, wtforms.URLField, "https://instagram.com/p/x?a=1&b=2"),
        (forms_i18n.TimeField, wtforms.TimeField, "09:30"),
        (forms_i18n.DateTimeLocalField, wtforms.DateTimeLocalField, "2026-12-07T09:30"),
        (forms_i18n.DateField, wtforms.DateField, "2026-12-07"),
        (forms_i18n.IntegerField, wtforms.IntegerField, "42"),
        (forms_i18n.TextAreaField, wtforms.TextAreaField, 'Caption "pertama"\n<b>#Sigap</b> & x'),
    ],
)
def test_the_fields_render_as_wtforms_fields_do(ours, theirs, data):
    class Ours(wtforms.Form):
        field = ours("Label")

    class Theirs(wtforms.Form):
        field = theirs("Label")

    for formdata in ({}, {"field": data}):
        mine, wtf = Ours(MultiDict(formdata)).field, Theirs(MultiDict(formdata)).field
        assert type(mine.widget) is not type(wtf.widget)  # ours, with its own attributes
        for render in ({}, {"required": True, "class_": "x", "data_role": "y", "disabled": False}):
            assert str(mine(**render)) == str(wtf(**render))


def test_a_checkbox_list_renders_its_options_as_wtforms_does():
    choices = [(1, "Sari"), (2, "Yuni <admin>"), (3, 'Bayu "B"')]

    class Ours(wtforms.Form):
        people = forms_i18n.CheckboxList("People", choices=choices, coerce=int)

    class Theirs(wtforms.Form):
        people = wtforms.SelectMultipleField(
            "People",
            choices=choices,
            coerce=int,
            widget=wtforms.widgets.ListWidget(prefix_label=False),
            option_widget=wtforms.widgets.CheckboxInput(),
        )

    mine, wtf = (
        Ours(MultiDict([("people", "2")])).people,
        Theirs(MultiDict([("people", "2")])).people,
    )
    assert str(mine()) == str(wtf())
    assert [str(o(disabled=True)) for o in mine] == [str(o(disabled=True)) for o in wtf]
    assert "checked" in str(mine())


@pytest.mark.parametrize(
    "render",
    [{}, {"disabled": True}, {"class_": "wide", "data_role": "x"}, {"required": False, "id": "p"}],
)
@pytest.mark.parametrize("picked", [[], ["2"], ["1", "3"]])
def test_a_checkbox_lists_boxes_are_its_options_as_wtforms_renders_them(render, picked):
    """`CheckboxList.checkboxes` (the templates' `checkbox_list`) writes each option's input and
    label as WTForms' options do, with the field's flags and render_kw, in every case."""
    from wtforms.validators import DataRequired

    choices = [(1, "Sari"), (2, "Yuni <admin>"), (3, 'Bayu "B" & co')]

    class Ours(wtforms.Form):
        people = forms_i18n.CheckboxList(
            "People", choices=choices, coerce=int, validators=[DataRequired()],
            render_kw={"class": "box", "data-kind": "person"},
        )  # fmt: skip

    field = Ours(MultiDict([("people", p) for p in picked])).people
    expected = [(str(option(**render)), str(option.label.text)) for option in field]
    boxes = [(str(box), str(label)) for box, label in field.checkboxes(**render)]
    assert boxes == expected
    assert sum("checked" in box for box, _ in boxes) == len(picked)
    assert "&lt;admin&gt;" in str(escape(boxes[1][1])) and 'value="3"' in boxes[2][0]


def test_a_text_area_and_a_select_write_their_validators_flags_as_wtforms_does():
    """`maxlength` and `required` come from the validators (WTForms' field flags)."""
    from wtforms.validators import DataRequired, Length

    def pair(ours, theirs, **args):
        class Ours(wtforms.Form):
            field = ours("Label", validators=[DataRequired(), Length(max=200)], **args)

        class Theirs(wtforms.Form):
            field = theirs("Label", validators=[DataRequired(), Length(max=200)], **args)

        return Ours(MultiDict({"field": "1"})).field, Theirs(MultiDict({"field": "1"})).field

    mine, wtf = pair(forms_i18n.TextAreaField, wtforms.TextAreaField, render_kw={"rows": 3})
    assert (
        str(mine()) == str(wtf()) and 'maxlength="200"' in str(mine()) and "required" in str(mine())
    )
    mine, wtf = pair(SelectField, wtforms.SelectField, choices=[(1, "Satu"), (2, "Dua")])
    assert str(mine()) == str(wtf()) and "required" in str(mine())
    assert str(mine(multiple=True, size=4)) == str(wtf(multiple=True, size=4))
