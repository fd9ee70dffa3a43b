"""Recording an account's followers (with an optional screenshot as proof)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms.validators import InputRequired

from ..forms_i18n import DateField, Form, IntegerField
from .services import PROOF_MAX


class FollowersForm(Form):
    followers = IntegerField(_l("Followers"), validators=[InputRequired()])
    measured_on = DateField(_l("Counted on"), validators=[InputRequired()])
    proof = FileField(_l("Screenshot as proof (PNG or JPEG, at most 2 MB; optional)"))

    def proof_bytes(self) -> bytes | None:
        upload = self.proof.data
        if not upload or not getattr(upload, "filename", ""):
            return None
        return upload.read(PROOF_MAX + 1)
