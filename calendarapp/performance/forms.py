"""Recording an account's followers (with an optional screenshot as proof), and uploading a
platform's export."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms.validators import InputRequired

from ..forms_i18n import DateField, Form, IntegerField, SelectField, optional_int
from ..i18n import lazy_phrase as _l
from .platform_files import MAX_BYTES
from .services import PROOF_MAX


class FollowersForm(Form):
    followers = IntegerField(_l("Followers"), validators=[InputRequired()])
    measured_on = DateField(_l("Counted on"), validators=[InputRequired()])
    proof = FileField(
        _l("Screenshot as proof (PNG or JPEG, at most %(mb)d MB; optional)", mb=PROOF_MAX // 2**20)
    )

    def proof_bytes(self) -> bytes | None:
        upload = self.proof.data
        if not upload or not getattr(upload, "filename", ""):
            return None
        return upload.read(PROOF_MAX + 1)


class ImportForm(Form):
    account = SelectField(_l("Account"), coerce=optional_int, validate_choice=True)
    file = FileField(
        _l("The export (CSV or XLSX, at most %(mb)d MB)", mb=MAX_BYTES // 2**20),
        validators=[FileRequired(_l("Choose a file."))],
    )

    def set_accounts(self, accounts) -> None:
        self.account.choices = [(a.id, f"{a.platform.label} @{a.handle}") for a in accounts]

    def upload(self) -> tuple[bytes, str]:
        data = self.file.data
        return data.read(MAX_BYTES + 1), getattr(data, "filename", "") or ""
