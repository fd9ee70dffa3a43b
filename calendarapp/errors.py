"""What the operations layers raise when they refuse a change: a message for the user."""

from __future__ import annotations

from .i18n import lazy_phrase as _l

# A form's creation token already made something elsewhere (another unit, another person).
FORM_USED = _l("This form was already sent. Reload the page to start again.")


class Refused(ValueError):
    """A change we refuse, with a message for the user and, if it is about one field, its name.

    Each area has its own subclass (ContentError, CoverageError, MentoringError); views show the
    message next to the field or above the form (web.form_error) and change nothing.
    """

    status = 422  # what the view answers with when it shows the form again

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class Stale(Refused):
    """Someone else saved the same thing first: the form is shown again (409) with what they
    saved, and saving again keeps what this person typed over theirs, knowingly."""

    status = 409
