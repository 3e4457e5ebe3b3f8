"""How the desk's pages are drawn: the Jinja2 environment (every value escaped), its filters (dates day first, a
moment of the audit trail, a campaign file that could not be read, a draft's comment in the page's language) and
`render`, which gives every page the user, the CSRF token and the words of the page's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from ticker.campaign.calendar import vn_date
from ticker.desk.cites import cite
from ticker.desk.fields import day_first
from ticker.desk.guard import CSP, DeskError, csrf_token, current_user
from ticker.desk.overview import STATES
from ticker.desk.progress import said_elapsed, said_left
from ticker.desk.refusals import unread
from ticker.desk.users import User
from ticker.desk.words import LANGS, words
from ticker.letters.doubts import long_address
from ticker.vietnamese.lexicon import suspects

HERE = Path(__file__).parent
ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.ChainableUndefined
)
ENV.filters["day_first"] = day_first
ENV.globals["timedelta"] = dt.timedelta
# what to look at again in a value as typed (doubts.html): a message's suspect words, a QR address's extras
ENV.filters["suspects"] = lambda text: suspects(str(text or ""))
ENV.filters["long_address"] = lambda text: long_address(str(text or ""))


def when(value: str) -> str:
    """A moment of the audit trail (ISO) as a page shows it: 15:20 7/12/2026 (as written, if it is not one)."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{moment:%H:%M} {vn_date(moment.date())}"


ENV.filters["when"] = when
ENV.filters["left"], ENV.filters["elapsed"] = said_left, said_elapsed


@jinja2.pass_context
def _unread(context: Any, sentence: str) -> str:
    """A campaign file that could not be read, as a page in its language says it (ticker.desk.refusals.unread)."""
    return unread(sentence, context["lang"], context["request"].app.state.desk.campaigns)


ENV.filters["unread"] = _unread
ENV.filters["cite"] = jinja2.pass_context(lambda context, comment: cite(comment, context["lang"]))
STATES_EN = {"draft": "draft", "changes": "changes requested", "pending": "awaiting approval",
             "approved": "approved", "airing": "on air", "ended": "ended"}  # fmt: skip


def page_lang(request: Request) -> str:
    lang = request.session.get("lang")
    return lang if lang in LANGS else "vi"


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = page_lang(request)
    try:
        user: User | None = current_user(request)
    except DeskError:
        user = None
    context = dict(request=request, lang=lang, w=words(lang), csrf=csrf_token(request), user=user,
                   states=STATES_EN if lang == "en" else STATES, **values)  # fmt: skip
    body = ENV.get_template(template).render(context)
    return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": CSP})
