from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField

from ..forms_i18n import Form


class IssueForm(Form):
    scope = HiddenField()
    unit = HiddenField()
    include_drafts = BooleanField()


class ImportForm(Form):
    file = FileField(
        _l("Calendar file (.ics)"),
        validators=[FileRequired(), FileAllowed(["ics"], _l("Choose an .ics file."))],
    )
