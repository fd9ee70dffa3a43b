"""The demo's Amplifikasi: two past requests from Prokopim with mixed compliance (on time, late,
declined, never answered), and one open request due tomorrow that most units still owe. The past
answers' posts on units with an Instagram account are measured, so each request shows its reach."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from .. import clock
from ..accounts.models import Unit, User
from ..amplification.models import (
    AmplificationAnswer,
    AmplificationRequest,
    AmplificationTarget,
    AmplifyAction,
)
from ..content.models import ContentItem
from ..content.platforms import Platform
from ..content.workflow import Status
from ..extensions import db
from ..performance.models import PostMetric
from ..socialaccounts.models import SocialAccount

PAST = (
    ("Bupati meninjau posyandu", 10, {"bpbd": "on_time", "dukcapil": "late", "satpolpp": "no"}),
    ("Hari Jadi Kabupaten: ajakan berkunjung", 4, {"dukcapil": "on_time", "satpolpp": "on_time"}),
)


def requests(units: dict[str, Unit], admins: dict[str, User]) -> int:
    """The demo's requests; the units asked are every active unit but Prokopim."""
    prokopim, asker = units.get("prokopim"), admins.get("prokopim")
    if prokopim is None or asker is None:
        return 0
    source = db.session.scalar(
        sa.select(ContentItem)
        .where(ContentItem.unit_id == prokopim.id, ContentItem.status == Status.TAYANG)
        .order_by(ContentItem.posted_at.desc())
        .limit(1)
    )
    asked = [u for key, u in units.items() if key != "prokopim" and u.active]
    now = clock.now()
    made = 0
    measured = []
    for title, days_ago, answers in PAST:
        request = _request(title, asker, source, now - timedelta(days=days_ago), asked)
        for target in request.targets:
            key = next(k for k, u in units.items() if u is target.unit)
            _answer(target, answers.get(key), admins.get(key))
        made += 1
        measured += [a for t in request.targets for a in t.answers if a.done]
    _measure(measured)
    _request("Kampanye cek kesehatan gratis", asker, source, now + timedelta(days=1), asked)
    units_done = [u for key, u in units.items() if key in ("satpolpp",)]
    db.session.flush()
    open_request = db.session.scalar(
        sa.select(AmplificationRequest).order_by(AmplificationRequest.id.desc())
    )
    for target in open_request.targets:
        if target.unit in units_done:
            _answer(target, "on_time", admins.get("satpolpp"))
    return made + 1


def _request(title, asker, source, deadline, asked) -> AmplificationRequest:
    request = AmplificationRequest(
        title=title, action=AmplifyAction.SHARE_FEED, platforms="instagram",
        source_item=source, source_url="" if source is not None else "https://www.instagram.com/p/DEMO/",
        caption=f"{title}. Ikuti kabar lengkapnya di akun resmi Pemerintah Kabupaten Sukamaju.",
        hashtags="#SukamajuMaju", deadline_at=deadline, created_by=asker,
        created_at=deadline - timedelta(days=1),
    )  # fmt: skip
    request.targets = [AmplificationTarget(unit=unit) for unit in asked]
    db.session.add(request)
    return request


def _answer(target: AmplificationTarget, how: str | None, by: User | None, at=None) -> None:
    if how is None:
        return
    deadline = target.request.deadline_at
    if at is None:
        at = deadline + timedelta(hours=5) if how == "late" else deadline - timedelta(hours=3)
    handle = target.unit.short_name.lower().replace(" ", "").replace(".", "")
    link = f"https://www.instagram.com/p/{handle}{len(target.request.title)}/"
    target.answers.append(
        AmplificationAnswer(
            platform="instagram", done=how != "no", answered_at=at, answered_by=by,
            link=link if how != "no" else "",
            reason="Akun Instagram sedang dalam pemulihan." if how == "no" else "",
        )
    )  # fmt: skip


def _measure(answers: list[AmplificationAnswer]) -> None:
    """Figures for the answers' posts, as the units' next Instagram export would give them."""
    accounts = dict(
        db.session.execute(
            sa.select(SocialAccount.unit_id, SocialAccount.id).where(
                SocialAccount.platform == Platform.INSTAGRAM
            )
        ).all()
    )
    for n, answer in enumerate(answers):
        account_id = accounts.get(answer.target.unit.id)
        if account_id is None:
            continue
        reach = 400 + (n * 211) % 900
        db.session.add(
            PostMetric(
                account_id=account_id, post_key=f"amplify-demo-{n}", permalink=answer.link,
                published_at=answer.answered_at, measured_on=clock.now().date(),
                views=reach * 3 // 2, reach=reach, likes=reach // 25, comments=n % 5,
                shares=n % 3, saves=n % 2,
            )
        )  # fmt: skip
