"""Downloading the SEC's company facts, by the SEC's rules, only when asked.

Nothing else in capexmodel touches the network: this module runs only when
`fetch_companyfacts` (or ``capexmodel fetch sec``) is called. The SEC asks every
client to declare who it is in its User-Agent (a name and an e-mail address) and to
make at most ten requests a second; a client that does not is refused for a while
(with 403). So a request declares the User-Agent it is given, goes through one
limiter shared by the whole process, asks for a gzip-compressed body, and is sent
over HTTPS only (plain HTTP only to this machine, for tests).

A file is downloaded once: an existing ``CIK##########.json`` is kept unless a
refresh is asked for, and a new one is written whole or not at all (a temporary file
in the same folder, renamed into place once it has been read back as company facts).
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import re
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections import deque
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, NoReturn

from capexmodel._errors import N_, FetchError, InvalidValueError, show
from capexmodel._lazy import public
from capexmodel._model.company import to_cik

if TYPE_CHECKING:
    from collections.abc import Callable
    from email.message import Message

__all__ = ["SEC_URL", "RateLimiter", "fetch_companyfacts"]

SEC_URL = "https://data.sec.gov"
"""Where the SEC serves its XBRL APIs; company facts are under ``/api/xbrl/companyfacts/``."""

#: The SEC's limit: requests per second, from one client.
RATE = 10
#: How often a request refused with one of `RETRIED` is tried again, and the first wait
#: (seconds) of the backoff, which doubles each time; a server's longer Retry-After wins.
RETRIES = 3
BACKOFF = 1.0
#: A server asking to wait longer than this (seconds) is not waited for.
MAX_WAIT = 60.0
#: HTTP statuses that mean "not now": too many requests, or a gateway or server busy.
RETRIED = frozenset({429, 502, 503, 504})
#: The largest body read, compressed or not (the largest company facts are tens of MB).
MAX_BYTES = 512 * 2**20
#: Seconds to wait for the server to connect or send.
TIMEOUT = 60.0
#: Hosts to which plain HTTP is allowed: this machine only (a test server).
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

_ASCII_DIGITS = re.compile(r"[0-9]+")
_EMAIL = re.compile(r"[^\s@<>(),;:\"]+@[^\s@<>(),;:\"]+\.[^\s@<>(),;:\"]+")


class RateLimiter:
    """At most `rate` requests in any window of `per` seconds, across threads.

    `clock` and `sleep` default to `time.monotonic` and `time.sleep`; tests pass a
    fake clock.

    Examples:
        >>> from capexmodel._sources.fetch import RateLimiter
        >>> now = [0.0]
        >>> limiter = RateLimiter(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
        >>> for _ in range(11):
        ...     limiter.wait()
        >>> now[0]
        1.0
    """

    def __init__(
        self,
        rate: int = RATE,
        per: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._rate = rate
        self._per = per
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque(maxlen=rate)
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return when one more request keeps within the rate, sleeping if it must."""
        with self._lock:
            if len(self._sent) == self._rate:
                wait = self._sent[0] + self._per - self._clock()
                if wait > 0:
                    self._sleep(wait)
            self._sent.append(self._clock())


#: The limiter every download of this process goes through.
LIMITER = RateLimiter()


def check_cik(cik: object) -> str:
    """The CIK as the SEC writes it in file names: ten ASCII digits, zero-padded.

    Examples:
        >>> from capexmodel._sources.fetch import check_cik
        >>> check_cik(320193), check_cik("0000320193")
        ('0000320193', '0000320193')
    """
    return f"{to_cik(cik):010d}"


#: The SEC's rules, as a refusal says them (the command says them in the reader's words).
USER_AGENT_RULE: Final = N_(
    "the SEC asks every client to declare who it is: give a User-Agent of printable ASCII "
    'with a name and an e-mail address, such as "Jane Doe jane@example.com", got {value}'
)
BASE_URL_RULE: Final = N_(
    "the base URL is an https:// address without a query or fragment "
    "(http:// only to 127.0.0.1 or localhost, for tests), got {value}"
)


def check_user_agent(user_agent: object) -> str:
    """The User-Agent to declare: printable ASCII with an e-mail address, as the SEC asks.

    Examples:
        >>> from capexmodel._sources.fetch import check_user_agent
        >>> check_user_agent("Jane Doe jane@example.com")
        'Jane Doe jane@example.com'
    """
    if (
        not isinstance(user_agent, str)
        or not user_agent.isascii()
        or not user_agent.isprintable()
        or not _EMAIL.search(user_agent)
    ):
        raise InvalidValueError(USER_AGENT_RULE.format(value=show(user_agent)))
    return user_agent


def _allowed(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return bool(parts.hostname) and (
        parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)
    )


def check_base_url(base_url: object) -> str:
    """The base URL without its trailing slash: HTTPS, or plain HTTP to this machine only.

    Examples:
        >>> from capexmodel._sources.fetch import check_base_url
        >>> check_base_url("http://127.0.0.1:8080/")
        'http://127.0.0.1:8080'
    """
    if not isinstance(base_url, str) or not _allowed(base_url) or "?" in base_url or "#" in base_url:
        raise InvalidValueError(BASE_URL_RULE.format(value=show(base_url)))
    return base_url.rstrip("/")


def companyfacts_url(cik: str, base_url: str = SEC_URL) -> str:
    """The address of a company's facts, for a checked CIK and base URL.

    Examples:
        >>> from capexmodel._sources.fetch import companyfacts_url
        >>> companyfacts_url("0000320193")
        'https://data.sec.gov/api/xbrl/companyfacts/CIK0000320193.json'
    """
    return f"{base_url}/api/xbrl/companyfacts/CIK{cik}.json"


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an address a request may be sent to."""

    def redirect_request(  # noqa: PLR0917 -- urllib's signature
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not _allowed(newurl):
            fp.close()
            raise urllib.error.HTTPError(newurl, code, f"a redirect to {newurl} is not followed", headers, None)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects)


class Fetcher:
    """Downloads company facts with one User-Agent, base URL, limiter and sleep.

    Examples:
        >>> from capexmodel._sources.fetch import Fetcher
        >>> Fetcher("Jane Doe jane@example.com").base_url
        'https://data.sec.gov'
    """

    def __init__(
        self,
        user_agent: str,
        base_url: str = SEC_URL,
        *,
        limiter: RateLimiter = LIMITER,
        sleep: Callable[[float], None] = time.sleep,
        retries: int = RETRIES,
    ) -> None:
        self.user_agent = check_user_agent(user_agent)
        self.base_url = check_base_url(base_url)
        self._limiter = limiter
        self._sleep = sleep
        self._retries = retries

    def fetch(self, cik: object, to: str | os.PathLike[str], *, refresh: bool = False) -> tuple[Path, bool]:
        """Download a company's facts into the folder `to`: the file, and whether it was downloaded now."""
        number = check_cik(cik)
        if not isinstance(to, str | os.PathLike) or not isinstance(os.fspath(to), str):
            msg = f"fetch_companyfacts() writes into a folder: give its path, got {show(to)}"
            raise InvalidValueError(msg)
        if not isinstance(refresh, bool):
            msg = f"refresh must be True or False, got {show(refresh)}"
            raise InvalidValueError(msg)
        target = Path(to) / f"CIK{number}.json"
        if not refresh and target.exists():
            return target, False
        url = companyfacts_url(number, self.base_url)
        body = self._download(number, url)
        check_companyfacts(body, number, url)
        _write(body, target, number, url)
        return target, True

    def _download(self, cik: str, url: str) -> bytes:
        request = urllib.request.Request(  # noqa: S310 -- the scheme is checked: https, or http to this machine
            url, headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        )
        for attempt in range(self._retries + 1):
            self._limiter.wait()
            try:
                with _OPENER.open(request, timeout=TIMEOUT) as response:
                    return _decode(_read(response, cik, url), response.headers.get("Content-Encoding"), cik, url)
            except urllib.error.HTTPError as error:
                status = error.code
                wait = _retry_after(error.headers, BACKOFF * 2**attempt)
                error.close()
                if status not in RETRIED or attempt == self._retries or wait > MAX_WAIT:
                    _refused(status, error.reason, wait=wait, retries=attempt, cik=cik, url=url)
                self._sleep(wait)
            except http.client.IncompleteRead as error:
                _failed(f"the company facts of CIK {cik} from {url} were cut short: {error!r}", cik, url)
            except (OSError, http.client.HTTPException) as error:
                _failed(f"could not download the company facts of CIK {cik} from {url}: {error}", cik, url)
        raise AssertionError  # pragma: no cover -- the loop returns or raises


def _read(response: http.client.HTTPResponse, cik: str, url: str) -> bytes:
    """The body, checked against its Content-Length (a chunked body cut short raises IncompleteRead)."""
    body = response.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        _failed(f"the company facts of CIK {cik} from {url} are larger than {MAX_BYTES} bytes", cik, url)
    announced = (response.headers.get("Content-Length") or "").strip()
    if _ASCII_DIGITS.fullmatch(announced) and int(announced) != len(body):
        _failed(
            f"the company facts of CIK {cik} from {url} were cut short: "
            f"{len(body)} bytes came of the {int(announced)} announced",
            cik,
            url,
        )
    return body


def _decode(body: bytes, encoding: str | None, cik: str, url: str) -> bytes:
    name = (encoding or "identity").strip().lower()
    if name == "identity":
        return body
    wbits = {"gzip": 31, "x-gzip": 31, "deflate": 15}.get(name)
    if wbits is None:
        _failed(f"the company facts of CIK {cik} from {url} came in an encoding not asked for: {encoding!r}", cik, url)
    decompressor = zlib.decompressobj(wbits)
    try:
        data = decompressor.decompress(body, MAX_BYTES + 1)
    except zlib.error as error:
        _failed(f"the company facts of CIK {cik} from {url} do not decompress ({encoding}): {error}", cik, url)
    if len(data) > MAX_BYTES:
        _failed(f"the company facts of CIK {cik} from {url} are larger than {MAX_BYTES} bytes", cik, url)
    if not decompressor.eof:
        _failed(f"the company facts of CIK {cik} from {url} were cut short: the {encoding} stream ends early", cik, url)
    return data


def _retry_after(headers: Message, backoff: float) -> float:
    """Seconds to wait: the server's Retry-After (seconds or a date), or the backoff if longer."""
    value = (headers.get("Retry-After") or "").strip()
    asked = 0.0
    if _ASCII_DIGITS.fullmatch(value):
        asked = float(value)
    elif value:
        try:
            asked = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            asked = 0.0  # not a date: the backoff
    return max(asked, backoff)


def _refused(status: int, reason: str, *, wait: float, retries: int, cik: str, url: str) -> NoReturn:
    where = f"CIK {cik} at {url}"
    if status == 404:  # noqa: PLR2004 -- HTTP's Not Found
        message = f"no company facts for {where} (404): the SEC knows no company with that CIK, or it files no XBRL"
    elif status == 403:  # noqa: PLR2004 -- HTTP's Forbidden
        message = (
            f"the server refused the company facts of {where} (403 {reason}): the SEC refuses requests "
            "without a declared User-Agent, and for ten minutes any client that made more than ten a second"
        )
    elif status in RETRIED and wait > MAX_WAIT:
        message = (
            f"the server is busy for the company facts of {where} ({status} {reason}) "
            f"and asks to wait {wait:.0f} seconds, more than {MAX_WAIT:.0f}: try again later"
        )
    elif status in RETRIED:
        message = (
            f"the server is still busy for the company facts of {where} ({status} {reason}) after {retries} retries"
        )
    else:
        message = f"the server answered {status} {reason} for the company facts of {where}"
    raise FetchError(message, cik=cik, url=url, status=status)


def _failed(message: str, cik: str, url: str) -> NoReturn:
    raise FetchError(message, cik=cik, url=url, status=None)


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(name)


def check_companyfacts(body: bytes, cik: str, url: str) -> None:
    """Check that `body` is the company facts of `cik`: JSON with that ``cik`` and a ``facts`` object.

    Examples:
        >>> from capexmodel._sources.fetch import check_companyfacts
        >>> check_companyfacts(b'{"cik": 320193, "facts": {}}', "0000320193", "a test")
        >>> check_companyfacts(b'{"cik": 1, "facts": {}}', "0000320193", "a test")
        Traceback (most recent call last):
        ...
        capexmodel.FetchError: the file from a test is not the company facts of CIK 0000320193: ... got 1
    """
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        _failed(f"the company facts of CIK {cik} from {url} are not valid JSON (cut short?): {error}", cik, url)
    what = f"the file from {url} is not the company facts of CIK {cik}"
    if not isinstance(document, dict):
        _failed(f"{what}: expected a JSON object, got a {type(document).__name__}", cik, url)
    number = document.get("cik")
    if type(number) is not int or number != int(cik):
        _failed(f'{what}: its "cik" should be {int(cik)}, got {show(number)}', cik, url)
    if not isinstance(document.get("facts"), dict):
        _failed(f'{what}: it has no "facts" object', cik, url)


def _write(body: bytes, target: Path, cik: str, url: str) -> None:
    """Write `body` to `target` whole or not at all: a temporary file renamed into place."""
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False
        ) as file:
            temporary = Path(file.name)
            file.write(body)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(target)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        _failed(f"could not write the company facts of CIK {cik} from {url} to {target}: {error}", cik, url)


@public
def fetch_companyfacts(
    cik: int | str,
    *,
    user_agent: str,
    to: str | os.PathLike[str],
    base_url: str = SEC_URL,
    refresh: bool = False,
) -> Path:
    """Download a company's SEC XBRL company facts into the folder `to`, once; return the file.

    The only function of capexmodel that touches the network. It gets
    ``{base_url}/api/xbrl/companyfacts/CIK##########.json`` by the SEC's rules: the
    declared `user_agent` (a name and an e-mail address), at most ten requests a second
    across the process, gzip, and HTTPS (plain HTTP only to 127.0.0.1 or localhost, for a
    test server or a local mirror). A busy server (429 or 503) is asked again after its
    Retry-After, a few times, waiting longer each time. The file is
    ``CIK##########.json`` in `to` (created if need be), written only once it parses
    as the company facts of that CIK; a file already there is returned as it is, unless
    `refresh` downloads it again.

    Args:
        cik: the SEC's Central Index Key: an int, or a string of at most ten ASCII digits.
        user_agent: who is asking, such as ``"Jane Doe jane@example.com"``.
        to: the folder to write into.
        base_url: where the API is served; another address for a mirror or a test.
        refresh: download the file even if it is there.

    Returns:
        The path of the file.

    Raises:
        InvalidValueError: a malformed CIK, User-Agent or base URL, before any request.
        FetchError: the download failed (no such CIK, a server still busy, a body cut short
            or not company facts, a network error) or the file could not be written.

    Examples:
        >>> import capexmodel as cm, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "CIK0000320193.json").write_text('{"cik": 320193, "facts": {}}', encoding="utf-8")
        >>> cm.fetch_companyfacts(320193, user_agent="Jane Doe jane@example.com", to=folder).name  # already there
        'CIK0000320193.json'
        >>> cm.fetch_companyfacts("３２０１９３", user_agent="Jane Doe jane@example.com", to=folder)
        Traceback (most recent call last):
        ...
        capexmodel.InvalidValueError: a CIK is the SEC's Central Index Key, ... got '３２０１９３'
    """
    return Fetcher(user_agent, base_url).fetch(cik, to, refresh=refresh)[0]
