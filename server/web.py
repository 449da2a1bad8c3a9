"""The browser client (`web/`), served by the app: its files under `/static/` and its pages.

The client is plain ES modules and CSS, with no build step. Every page of the client (the
paths of mailed links and of notifications' `action_url`s included) answers the same
`index.html`, and the client's router draws the page. The pages are listed one by one, never
as a catch-all, so nothing here can shadow `/api`, `/schema`, `/health` or `/socket.io`, and
an unknown path still gets the JSON 404 of every other route.

`HEAD` of a page or a file answers what `GET` does, headers and all, without the body (link
checkers, monitors, proxies warming a cache).

Paths other parts of the server hand out, each served here:
- `server/auth/links.py`: `/activate?token=…`, `/reset-password?token=…`;
- notifications' `action_url`: `/interviews/{id}`, `/todos/{id}`, `/todos`, `/messages`,
  `/rooms/{room_code}` (meeting and call invitations), `/settings/calendars` (a calendar
  disconnected);
- the calendars' OAuth callback (`server/domains/calendars/controllers.py`) sends a browser to
  `/settings/calendars?connected=<provider>` or `?error=<code>`;
- room links given to people: `/r/{room_code}` (a call's code or a meeting's room id).
"""

from __future__ import annotations

from pathlib import Path, PurePath

from litestar import Response, Router, get, head
from litestar.exceptions import NotFoundException
from litestar.file_system import BaseLocalFileSystem
from litestar.response.file import ASGIFileResponse
from litestar.static_files.base import StaticFiles

_SOURCE_TREE = Path(__file__).resolve().parents[1] / "web"


def web_root() -> Path:
    """`web/` beside the packages (a checkout, an editable install), else in the working
    directory (the image: `COPY web ./web` into its WORKDIR, where the server runs, since a
    non-editable install puts the packages in site-packages, far from `web/`)."""
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
    "/candidates",
    "/candidates/{candidate_id:int}",
    "/resumes",
    "/resumes/{resume_id:int}",
    "/exams",
    "/exams/sessions/{session_id:int}",
    "/personality",
    "/settings",
    "/settings/calendars",
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


def _shell() -> bytes:
    index = WEB_ROOT / "index.html"
    if not index.is_file():
        raise NotFoundException("The browser client is not installed (no web/index.html).")
    return index.read_bytes()


SHELL_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}


@get(PAGES, include_in_schema=False, name="web:page", sync_to_thread=False)
def page() -> Response[bytes]:
    """The client's shell; its router draws the page for the path."""
    return Response(_shell(), media_type="text/html", headers=SHELL_HEADERS)


@head(PAGES, include_in_schema=False, name="web:page-head", sync_to_thread=False)
def page_head() -> Response[None]:
    """The shell's headers (Litestar sets no type or length on a HEAD answer: given here)."""
    length = len(_shell())
    headers = {**SHELL_HEADERS, "Content-Type": "text/html; charset=utf-8", "Content-Length": str(length)}
    return Response(None, headers=headers)


# No hashed names: browsers revalidate (ETag / Last-Modified) so a deploy shows at once.
_files = StaticFiles(
    is_html_mode=False,
    directories=[WEB_ROOT],
    file_system=BaseLocalFileSystem(),
    headers={"cache-control": "no-cache"},
)


@get("/static/{file_path:path}", include_in_schema=False, name="web:static")
async def static_file(file_path: PurePath) -> ASGIFileResponse:
    return await _files.handle(path=file_path.as_posix(), is_head_response=False)


@head("/static/{file_path:path}", include_in_schema=False, name="web:static-head")
async def static_file_head(file_path: PurePath) -> ASGIFileResponse:
    """The file's headers: its length, ETag, Last-Modified, and the type `GET` gives (which
    Litestar's HEAD answer of a file leaves out)."""
    found = await _files.handle(path=file_path.as_posix(), is_head_response=True)
    shown = await _files.handle(path=file_path.as_posix(), is_head_response=False)
    found.headers["content-type"] = shown.headers["content-type"]
    return found


router = Router(
    path="/", route_handlers=[page, page_head, static_file, static_file_head], include_in_schema=False
)
