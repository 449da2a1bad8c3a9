"""The browser client (`web/`), served by the app: its files under `/static/` and its pages.

The client is plain ES modules and CSS, with no build step. Every page of the client (the
paths of mailed links and of notifications' `action_url`s included) answers the same
`index.html`, and the client's router draws the page. The pages are listed one by one, never
as a catch-all, so nothing here can shadow `/api`, `/schema`, `/health` or `/socket.io`, and
an unknown path still gets the JSON 404 of every other route.

Paths other parts of the server hand out, each served here:
- `server/auth/links.py`: `/activate?token=…`, `/reset-password?token=…`;
- notifications' `action_url`: `/interviews/{id}`, `/todos/{id}`, `/todos`, `/messages`,
  `/rooms/{room_code}` (meeting and call invitations);
- room links given to people: `/r/{room_code}` (a call's code or a meeting's room id).
"""

from __future__ import annotations

from pathlib import Path

from litestar import Response, Router, get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.static_files import create_static_files_router

_SOURCE_TREE = Path(__file__).resolve().parents[1] / "web"


def web_root() -> Path:
    """`web/` beside the packages (a checkout, an editable install), else in the working
    directory (a container that copied `web/` next to where it runs)."""
    for candidate in (_SOURCE_TREE, Path.cwd() / "web"):
        if (candidate / "index.html").is_file():
            return candidate
    return _SOURCE_TREE


WEB_ROOT = web_root()

PAGES = [
    "/",
    "/login",
    "/activate",
    "/reset-password",
    "/messages",
    "/messages/{counterpart_id:int}",
    "/notifications",
    "/interviews",
    "/interviews/{interview_id:int}",
    "/todos",
    "/todos/{todo_id:int}",
    "/settings",
    "/r/{room_code:str}",
    "/rooms/{room_code:str}",
]

# Scripts, styles, media and sockets from this origin only; nothing may frame the client
# (the room page holds a camera); mailed tokens in the address never leak as a referrer.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@get(PAGES, include_in_schema=False, name="web:page", sync_to_thread=False)
def page() -> Response[bytes]:
    """The client's shell; its router draws the page for the path."""
    index = WEB_ROOT / "index.html"
    if not index.is_file():
        raise NotFoundException("The browser client is not installed (no web/index.html).")
    return Response(
        index.read_bytes(),
        media_type="text/html",
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )


static = create_static_files_router(
    path="/static",
    directories=[WEB_ROOT],
    name="web:static",
    include_in_schema=False,
    # No hashed names: browsers revalidate (ETag / Last-Modified) so a deploy shows at once.
    cache_control=CacheControlHeader(no_cache=True),
)

router = Router(path="/", route_handlers=[page, static], include_in_schema=False)
