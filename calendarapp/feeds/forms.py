from flask_wtf.file import FileAllowed, FileField, FileRequired

from ..forms_i18n import BooleanField, Form, HiddenField
from ..i18n import lazy_phrase as _l


class IssueForm(Form):
    scope = HiddenField()
    unit = HiddenField()
    include_drafts = BooleanField()


class ImportForm(Form):
    file = FileField(
        _l("Calendar file (.ics)"),
        validators=[FileRequired(), FileAllowed(["ics"], _l("Choose an .ics file."))],
    )
