"""libical, the strict parser behind Evolution and GNOME Calendar, reading our feeds.

It is a C library; Debian's GObject bindings (gir1.2-ical-3.0, python3-gi) reach it from the
system Python, so the check runs there, in a subprocess, on the feed's bytes.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import missing

SYSTEM_PYTHON = "/usr/bin/python3"
CHECK = r"""
import json, sys
import gi
gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib
text = sys.stdin.buffer.read().decode()
calendar = ICalGLib.Component.new_from_string(text)
errors, events = [], 0
kinds = [ICalGLib.ComponentKind.VEVENT_COMPONENT, ICalGLib.ComponentKind.VTIMEZONE_COMPONENT]
for kind in kinds:
    part = calendar.get_first_component(kind)
    while part is not None:
        events += kind == ICalGLib.ComponentKind.VEVENT_COMPONENT
        found = part.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
        while found is not None:
            errors.append(found.get_xlicerror())
            found = part.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
        part = calendar.get_next_component(kind)
restricted = bool(ICalGLib.restriction_check(calendar))
print(json.dumps({"events": events, "errors": errors, "restrictions_met": restricted}))
"""


def available() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = 'import gi; gi.require_version("ICalGLib", "3.0"); from gi.repository import ICalGLib'
    return subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True).returncode == 0


def read(body: bytes) -> dict:
    """What libical makes of a feed: its events, its parse errors, and whether the calendar
    meets the iTIP restrictions of its METHOD (RFC 5546) — the check a strict client applies."""
    if not available():
        missing("libical's bindings not found: apt-get install gir1.2-ical-3.0 python3-gi")
    answer = subprocess.run(
        [SYSTEM_PYTHON, "-c", CHECK], input=body, capture_output=True, check=True, timeout=60
    )
    return json.loads(answer.stdout)
