from wtforms import BooleanField, HiddenField

from ..forms_i18n import Form


class IssueForm(Form):
    scope = HiddenField()
    unit = HiddenField()
    include_drafts = BooleanField()
