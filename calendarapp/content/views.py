from flask import Blueprint, abort
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.permissions import can_view_item
from ..extensions import db
from ..web import render
from .models import ContentItem, StatusChange

bp = Blueprint("content", __name__, url_prefix="/items")
MAX_ID = 2**31 - 1  # larger numbers are not ids: the databases would refuse to compare them


def load_item(item_id: int) -> ContentItem:
    """The item, or 404 — also when it belongs to a unit the user may not see."""
    if item_id > MAX_ID:
        abort(404)
    item = db.session.get(
        ContentItem,
        item_id,
        options=[
            joinedload(ContentItem.unit),
            joinedload(ContentItem.theme),
            selectinload(ContentItem.platforms),
            selectinload(ContentItem.history).joinedload(StatusChange.user),
        ],
    )
    if item is None or not can_view_item(current_user, item):
        abort(404)
    return item


@bp.get("/<int:item_id>")
@login_required
def detail(item_id: int):
    item = load_item(item_id)
    return render("content/detail.html", "content/_detail.html", item=item)
