"""`capexmodel fetch sec` and `fetch_companyfacts`, against a local HTTP server: no test reaches the internet."""

import email.utils
import gzip
import http.server
import pickle
import socket
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import capexmodel as cm
from capexmodel._present.cli import main
from capexmodel._sources import fetch as _fetch
from capexmodel._sources.fetch import Fetcher, RateLimiter

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "sec"
APPLE, ALPHABET = "0000320193", "0001652044"
AGENT = "Jane Doe jane@example.com"
PREFIX = "/api/xbrl/companyfacts/"
FULLWIDTH = "\uff13\uff12\uff10\uff11\uff19\uff13"  # 320193 in fullwidth digits


def fixture(cik):
    path = FIXTURES / f"CIK{cik}.json"
    if not path.is_file():
        pytest.fail(f"the SEC fixture {path} is missing: the fetch tests serve the files of {FIXTURES}")
    return path.read_bytes()


@dataclass
class Reply:
    """One scripted answer: a status, headers and a body, or a body cut short."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    send: int | None = None  # bytes of the body actually sent (fewer than announced: cut short)
    chunked: bool = False


class Server:
    """An HTTP server on 127.0.0.1 serving the fixtures (gzipped when asked) and scripted replies."""

    def __init__(self):
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.scripts: dict[str, list[Reply]] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                script = server.scripts.get(self.path)
                reply = (script.pop(0) if len(script) > 1 else script[0]) if script else server.default(self)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(reply.body), reply.body[: len(reply.body) // 2]))
                    return
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body[: reply.send])

            def log_message(self, *_):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def default(self, handler):
        name = handler.path.removeprefix(PREFIX)
        if not (handler.path.startswith(PREFIX) and name.startswith("CIK") and name.endswith(".json")):
            return Reply(404, b"not here")
        cik = name.removeprefix("CIK").removesuffix(".json")
        if cik not in {APPLE, ALPHABET}:
            return Reply(404, b"<html>No such key</html>")
        body = fixture(cik)
        if "gzip" in handler.headers.get("Accept-Encoding", ""):
            return Reply(200, gzip.compress(body), {"Content-Encoding": "gzip", "Content-Type": "application/json"})
        return Reply(200, body, {"Content-Type": "application/json"})  # pragma: no cover -- the client asks for gzip

    def script(self, cik, *replies):
        self.scripts[f"{PREFIX}CIK{cik}.json"] = list(replies)

    def paths(self):
        return [path for path, _ in self.requests]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def running():
    fixture(APPLE)
    fixture(ALPHABET)
    server = Server()
    yield server
    server.close()


@pytest.fixture
def server(running):
    running.requests.clear()
    running.scripts.clear()
    return running


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake():
    return FakeClock()


def fetcher(server, fake, **options):
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    return Fetcher(AGENT, server.url, limiter=limiter, sleep=fake.sleep, **options)


def company_facts(cik, facts="{}"):
    return b'{"cik": %d, "entityName": "A Test", "facts": %s}' % (int(cik), facts.encode())


def leftovers(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


# Downloading


def test_the_company_facts_are_downloaded_as_served_with_the_declared_user_agent(server, tmp_path):
    path = cm.fetch_companyfacts(320193, user_agent=AGENT, to=tmp_path / "sec", base_url=server.url)
    assert path == tmp_path / "sec" / f"CIK{APPLE}.json"
    assert path.read_bytes() == fixture(APPLE)
    assert leftovers(tmp_path / "sec") == [f"CIK{APPLE}.json"]
    [(request_path, headers)] = server.requests
    assert request_path == f"{PREFIX}CIK{APPLE}.json"
    assert headers["User-Agent"] == AGENT
    assert "gzip" in headers["Accept-Encoding"]


def test_a_body_sent_without_compression_or_deflated_is_read_too(server, fake, tmp_path):
    body = company_facts(ALPHABET)
    server.script(
        ALPHABET,
        Reply(200, body),
        Reply(200, zlib.compress(body), {"Content-Encoding": "Deflate"}),
        Reply(200, body, {"Content-Encoding": "identity"}),
    )
    for _ in range(3):
        path, downloaded = fetcher(server, fake).fetch(ALPHABET, tmp_path, refresh=True)
        assert downloaded
        assert path.read_bytes() == body


def test_a_file_already_there_is_not_downloaded_again_unless_refreshed(server, tmp_path):
    first = cm.fetch_companyfacts("1652044", user_agent=AGENT, to=tmp_path, base_url=server.url)
    assert len(server.requests) == 1
    first.write_bytes(company_facts(ALPHABET))  # what was there is kept as it is
    assert cm.fetch_companyfacts(1652044, user_agent=AGENT, to=tmp_path, base_url=server.url) == first
    assert len(server.requests) == 1
    assert first.read_bytes() == company_facts(ALPHABET)
    cm.fetch_companyfacts(1652044, user_agent=AGENT, to=tmp_path, base_url=server.url, refresh=True)
    assert len(server.requests) == 2
    assert first.read_bytes() == fixture(ALPHABET)


# Errors: each a FetchError naming the CIK and the URL, with nothing written


def fails(server, fake, tmp_path, cik, match, **options):
    with pytest.raises(cm.FetchError, match=match) as caught:
        fetcher(server, fake, **options).fetch(cik, tmp_path / "out")
    error = caught.value
    assert error.cik == cik
    assert error.url == f"{server.url}{PREFIX}CIK{cik}.json"
    assert f"CIK {cik}" in str(error)
    assert error.url in str(error)
    assert leftovers(tmp_path / "out") == []  # no file, not even a temporary one
    return error


def test_an_unknown_cik_is_a_404(server, fake, tmp_path):
    error = fails(server, fake, tmp_path, "0000000001", "no company facts for CIK 0000000001 at .* \\(404\\)")
    assert error.status == 404
    assert isinstance(error, OSError)
    assert len(server.requests) == 1
    assert fake.sleeps == []


def test_a_refusal_says_what_the_sec_refuses(server, fake, tmp_path):
    server.script(APPLE, Reply(403, b"Undeclared Automated Tool"))
    error = fails(server, fake, tmp_path, APPLE, "refused .* \\(403 Forbidden\\): the SEC refuses requests without")
    assert error.status == 403
    assert len(server.requests) == 1


def test_a_server_error_is_not_asked_again(server, fake, tmp_path):
    server.script(APPLE, Reply(500, b"oops"))
    error = fails(server, fake, tmp_path, APPLE, "the server answered 500 Internal Server Error for the company facts")
    assert error.status == 500
    assert len(server.requests) == 1
    assert fake.sleeps == []


def test_too_many_requests_waits_as_long_as_the_server_asks_then_downloads(server, fake, tmp_path):
    server.script(APPLE, Reply(429, headers={"Retry-After": "2"}), Reply(200, company_facts(APPLE)))
    path, downloaded = fetcher(server, fake).fetch(APPLE, tmp_path)
    assert downloaded
    assert path.read_bytes() == company_facts(APPLE)
    assert server.paths() == [f"{PREFIX}CIK{APPLE}.json"] * 2
    assert fake.sleeps == [2.0]


def test_a_server_still_busy_is_asked_a_few_times_with_backoff_then_given_up(server, fake, tmp_path):
    server.script(APPLE, Reply(503, headers={"Retry-After": "1"}))
    error = fails(server, fake, tmp_path, APPLE, "still busy .* \\(503 Service Unavailable\\) after 3 retries")
    assert error.status == 503
    assert len(server.requests) == 4
    assert fake.sleeps == [1.0, 2.0, 4.0]  # the backoff doubles; the server's shorter wait does not cut it
    server.requests.clear()
    fake.sleeps.clear()
    fails(server, fake, tmp_path, APPLE, "after 1 retries", retries=1)
    assert len(server.requests) == 2


def test_a_retry_after_given_as_a_date_is_waited_until(server, fake, tmp_path):
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.script(
        APPLE,
        Reply(429, headers={"Retry-After": soon}),
        Reply(429, headers={"Retry-After": "soon"}),
        Reply(200, company_facts(APPLE)),
    )
    fetcher(server, fake).fetch(APPLE, tmp_path)
    first, second = fake.sleeps
    assert 25 < first <= 30
    assert second == 2.0  # not a date: the backoff


def test_a_server_that_asks_for_too_long_a_wait_is_not_waited_for(server, fake, tmp_path):
    server.script(APPLE, Reply(429, headers={"Retry-After": "3600"}))
    error = fails(server, fake, tmp_path, APPLE, "asks to wait 3600 seconds, more than 60: try again later")
    assert error.status == 429
    assert len(server.requests) == 1
    assert fake.sleeps == []


def test_a_body_cut_short_is_refused(server, fake, tmp_path):
    body = company_facts(APPLE)
    server.script(APPLE, Reply(200, body, send=len(body) - 5))
    error = fails(server, fake, tmp_path, APPLE, f"were cut short: {len(body) - 5} bytes came of the {len(body)}")
    assert error.status is None


def test_a_chunked_body_cut_short_is_refused(server, fake, tmp_path):
    server.script(APPLE, Reply(200, company_facts(APPLE), chunked=True))
    fails(server, fake, tmp_path, APPLE, "were cut short: IncompleteRead")


def test_a_compressed_body_cut_short_or_corrupt_is_refused(server, fake, tmp_path):
    packed = gzip.compress(company_facts(APPLE))
    server.script(APPLE, Reply(200, packed[:-12], {"Content-Encoding": "gzip"}))
    fails(server, fake, tmp_path, APPLE, "were cut short: the gzip stream ends early")
    server.script(APPLE, Reply(200, b"not gzip at all", {"Content-Encoding": "gzip"}))
    fails(server, fake, tmp_path, APPLE, "do not decompress \\(gzip\\)")
    server.script(APPLE, Reply(200, b"{}", {"Content-Encoding": "br"}))
    fails(server, fake, tmp_path, APPLE, "came in an encoding not asked for: 'br'")


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b'{"cik": 320193, "facts": {"us-gaap": {', "are not valid JSON \\(cut short\\?\\)"),
        (b"<html>Service Unavailable</html>", "are not valid JSON"),
        (b'{"cik": 320193, "facts": {"x": NaN}}', "are not valid JSON"),
        (b'{"cik": 320193, "entityName": "\xff", "facts": {}}', "are not valid JSON"),
        (b"[1, 2]", "is not the company facts of CIK 0000320193: expected a JSON object, got a list"),
        (b'{"cik": 1652044, "facts": {}}', '"cik" should be 320193, got 1652044'),
        (b'{"cik": "320193", "facts": {}}', "\"cik\" should be 320193, got '320193'"),
        (b'{"cik": true, "facts": {}}', '"cik" should be 320193, got True'),
        (b'{"cik": 320193}', 'it has no "facts" object'),
        (b'{"cik": 320193, "facts": []}', 'it has no "facts" object'),
    ],
)
def test_a_body_that_is_not_the_company_facts_asked_for_is_refused(server, fake, tmp_path, body, match):
    server.script(APPLE, Reply(200, body))
    assert fails(server, fake, tmp_path, APPLE, match).status is None


def test_a_body_too_large_is_refused(server, fake, tmp_path, monkeypatch):
    monkeypatch.setattr(_fetch, "MAX_BYTES", 100)
    server.script(APPLE, Reply(200, company_facts(APPLE, '{"x": "%s"}' % ("x" * 200))))
    fails(server, fake, tmp_path, APPLE, "are larger than 100 bytes")
    server.script(APPLE, Reply(200, gzip.compress(b" " * 1000), {"Content-Encoding": "gzip"}))  # a small bomb
    fails(server, fake, tmp_path, APPLE, "are larger than 100 bytes")


def test_a_network_error_names_the_cik_and_the_url(fake, tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(cm.FetchError, match=f"could not download the company facts of CIK {APPLE} from http") as caught:
        Fetcher(AGENT, f"http://127.0.0.1:{port}", limiter=limiter).fetch(APPLE, tmp_path)
    assert caught.value.status is None
    assert caught.value.url == f"http://127.0.0.1:{port}{PREFIX}CIK{APPLE}.json"
    assert leftovers(tmp_path) == []


def test_redirects_are_followed_only_to_addresses_a_request_may_go_to(server, fake, tmp_path):
    server.script(APPLE, Reply(302, headers={"Location": f"{server.url}{PREFIX}CIK{ALPHABET}.json"}))
    with pytest.raises(cm.FetchError, match="should be 320193, got 1652044"):  # followed, then checked
        fetcher(server, fake).fetch(APPLE, tmp_path)
    assert server.paths() == [f"{PREFIX}CIK{APPLE}.json", f"{PREFIX}CIK{ALPHABET}.json"]
    server.script(APPLE, Reply(301, headers={"Location": f"http://example.com{PREFIX}CIK{APPLE}.json"}))
    error = fails(server, fake, tmp_path, APPLE, "a redirect to http://example.com/.* is not followed")
    assert error.status == 301


# Writing: whole or not at all


def test_a_failed_refresh_keeps_the_file_there(server, fake, tmp_path):
    kept = tmp_path / f"CIK{APPLE}.json"
    kept.write_bytes(company_facts(APPLE))
    server.script(APPLE, Reply(200, b'{"cik": 320193, "facts": {'))
    with pytest.raises(cm.FetchError):
        fetcher(server, fake).fetch(APPLE, tmp_path, refresh=True)
    assert kept.read_bytes() == company_facts(APPLE)
    assert leftovers(tmp_path) == [kept.name]


def test_a_write_that_fails_half_way_leaves_no_file(server, fake, tmp_path, monkeypatch):
    def full(_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    error = fails(server, fake, tmp_path, APPLE, f"could not write the company facts of CIK {APPLE} .* to .*No space")
    assert error.status is None


def test_a_folder_that_cannot_be_made_is_a_fetch_error(server, fake, tmp_path):
    (tmp_path / "out").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(cm.FetchError, match=f"could not write the company facts of CIK {APPLE}"):
        fetcher(server, fake).fetch(APPLE, tmp_path / "out" / "sec")


# Input refused before any request


@pytest.mark.parametrize(
    "cik",
    [
        "",
        "abc",
        "0",
        "00000000000",
        "12345678901",
        "320193 ",
        "+320193",
        "-1",
        "1_000",
        FULLWIDTH,
        "\uff1320193",
        "\u0663\u0662\u0660\u0661\u0669\u0663",
        "32019\u00b3",  # Unicode digits
        "CIK0000320193",
        0,
        -1,
        10**10,
        True,
        320193.0,
        None,
        b"320193",
    ],
)
def test_a_malformed_cik_is_refused_before_any_request(server, tmp_path, cik):
    with pytest.raises(cm.InvalidValueError, match="a CIK is the SEC's Central Index Key, a whole number from 1 to"):
        cm.fetch_companyfacts(cik, user_agent=AGENT, to=tmp_path, base_url=server.url)
    assert server.requests == []


def test_the_cik_is_zero_padded_to_ten_digits():
    assert [_fetch.check_cik(cik) for cik in (1, "1", "0000000001", 9_999_999_999, "9999999999")] == [
        "0000000001",
        "0000000001",
        "0000000001",
        "9999999999",
        "9999999999",
    ]


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "   ",
        "Jane Doe",
        "jane@example",
        "Jane Doe jane@example.com\r\nX-Injected: 1",
        "José jose@example.com",
        None,
        b"Jane Doe jane@example.com",
    ],
)
def test_a_user_agent_without_an_email_address_is_refused_before_any_request(server, tmp_path, agent):
    with pytest.raises(cm.InvalidValueError, match="the SEC asks every client to declare who it is"):
        cm.fetch_companyfacts(APPLE, user_agent=agent, to=tmp_path, base_url=server.url)
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://data.sec.gov",
        "ftp://data.sec.gov",
        "file:///etc",
        "https://",
        "https://data.sec.gov?q=1",
        "https://data.sec.gov#top",
        "data.sec.gov",
        "http://127.0.0.2:8080",
        None,
    ],
)
def test_a_base_url_that_is_not_https_is_refused(tmp_path, url):
    with pytest.raises(cm.InvalidValueError, match="the base URL is an https:// address"):
        cm.fetch_companyfacts(APPLE, user_agent=AGENT, to=tmp_path, base_url=url)


@pytest.mark.parametrize("url", ["https://data.sec.gov/x?", "https://data.sec.gov/x#", "https://data.sec.gov/?#"])
def test_a_base_url_with_an_empty_query_or_fragment_is_refused(url):
    # The path would be appended after "?" or "#": a request for another address than the one named.
    with pytest.raises(cm.InvalidValueError, match="the base URL is an https:// address without a query or fragment"):
        _fetch.check_base_url(url)


@pytest.mark.parametrize("to", [None, 123, b"/tmp/sec", ["data"]])
def test_a_folder_that_is_not_a_path_is_refused_before_any_request(server, to):
    with pytest.raises(cm.InvalidValueError, match=r"fetch_companyfacts\(\) writes into a folder: give its path, got"):
        cm.fetch_companyfacts(APPLE, user_agent=AGENT, to=to, base_url=server.url)
    assert server.requests == []


@pytest.mark.parametrize("refresh", ["no", 0, None])
def test_refresh_is_true_or_false(server, tmp_path, refresh):
    with pytest.raises(cm.InvalidValueError, match=f"refresh must be True or False, got {refresh!r}"):
        cm.fetch_companyfacts(APPLE, user_agent=AGENT, to=tmp_path, base_url=server.url, refresh=refresh)
    assert server.requests == []


def test_the_base_url_may_be_a_mirror_or_this_machine():
    assert _fetch.check_base_url("https://mirror.example.org/sec/") == "https://mirror.example.org/sec"
    assert _fetch.check_base_url("http://localhost:8000") == "http://localhost:8000"
    assert _fetch.companyfacts_url(APPLE, "https://mirror.example.org/sec") == (
        f"https://mirror.example.org/sec{PREFIX}CIK{APPLE}.json"
    )
    assert _fetch.companyfacts_url(APPLE) == f"https://data.sec.gov{PREFIX}CIK{APPLE}.json"


# The rate: at most ten requests a second


def test_eleven_requests_take_at_least_a_second(fake):
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    for _ in range(10):
        limiter.wait()
    assert fake.now == 0  # ten at once are allowed
    limiter.wait()
    assert fake.now >= 1
    fake.now += 5  # a while later: no wait
    before = len(fake.sleeps)
    limiter.wait()
    assert len(fake.sleeps) == before


def test_no_window_of_a_second_holds_more_than_ten_requests(fake):
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    times = []
    for step in range(45):
        fake.now += (step % 4) / 32  # binary fractions: the fake clock's sums are exact
        limiter.wait()
        times.append(fake.now)
    assert all(times[i + 10] - times[i] >= 1 for i in range(len(times) - 10))


def test_the_limiter_holds_across_the_downloads_of_one_call(server, fake, tmp_path):
    shared = fetcher(server, fake)
    for _ in range(11):
        shared.fetch(APPLE, tmp_path, refresh=True)
    assert len(server.requests) == 11
    assert fake.now >= 1


def test_the_limiter_holds_across_threads():
    slept = []
    lock = threading.Lock()
    now = [0.0]

    def sleep(seconds):
        with lock:
            slept.append(seconds)
            now[0] += seconds

    limiter = RateLimiter(clock=lambda: now[0], sleep=sleep)
    threads = [threading.Thread(target=limiter.wait) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert now[0] >= 1


def test_every_download_of_the_process_shares_one_limiter():
    assert Fetcher(AGENT)._limiter is _fetch.LIMITER


# The command


def run(capsys, *arguments):
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_command_downloads_each_cik_once(server, capsys, tmp_path):
    status, out, err = run(
        capsys,
        "fetch",
        "sec",
        "320193",
        "1652044",
        "0000320193",
        "--user-agent",
        AGENT,
        "--to",
        str(tmp_path),
        "--base-url",
        server.url,
    )
    assert (status, err) == (0, "")
    assert out.splitlines() == [str(tmp_path / f"CIK{APPLE}.json"), str(tmp_path / f"CIK{ALPHABET}.json")]
    assert (tmp_path / f"CIK{ALPHABET}.json").read_bytes() == fixture(ALPHABET)
    assert len(server.requests) == 2
    assert {headers["User-Agent"] for _, headers in server.requests} == {AGENT}
    status, out, err = run(
        capsys, "fetch", "sec", "320193", "--user-agent", AGENT, "--to", str(tmp_path), "--base-url", server.url
    )
    assert status == 0
    assert out == f"{tmp_path / f'CIK{APPLE}.json'}\n"
    assert err == f"capexmodel: kept {tmp_path / f'CIK{APPLE}.json'}, already there (--refresh downloads it again)\n"
    assert len(server.requests) == 2
    status, _, err = run(
        capsys,
        "fetch",
        "sec",
        "320193",
        "--user-agent",
        AGENT,
        "--to",
        str(tmp_path),
        "--base-url",
        server.url,
        "--refresh",
    )
    assert (status, err) == (0, "")
    assert len(server.requests) == 3


def test_the_command_fails_in_one_line(server, capsys, tmp_path):
    status, out, err = run(
        capsys, "fetch", "sec", "320193", "1", "--user-agent", AGENT, "--to", str(tmp_path), "--base-url", server.url
    )
    assert status == 1
    assert out == f"{tmp_path / f'CIK{APPLE}.json'}\n"  # what came before the failure stays
    assert err.startswith("capexmodel: no company facts for CIK 0000000001 at http://127.0.0.1:")
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        (["320193", FULLWIDTH], "a CIK is the SEC's Central Index Key"),
        (["320193", "12345678901"], "a CIK is the SEC's Central Index Key"),
        (["320193", "--user-agent", "Jane Doe"], "the SEC asks every client to declare who it is"),
        (["320193", "--base-url", "http://data.sec.gov"], "the base URL is an https:// address"),
    ],
)
def test_the_command_checks_every_argument_before_any_request(server, capsys, tmp_path, arguments, match):
    defaults = ["--user-agent", AGENT, "--base-url", server.url]
    status, out, err = run(capsys, "fetch", "sec", *defaults, *arguments, "--to", str(tmp_path))
    assert status == 1
    assert out == ""
    assert err.startswith(f"capexmodel: {match}")
    assert err.count("\n") == 1
    assert server.requests == []
    assert leftovers(tmp_path) == []


def test_the_command_needs_a_user_agent_and_a_folder(capsys, tmp_path):
    assert main(["fetch", "sec", "320193", "--to", str(tmp_path)]) == 2  # a usage error: returned, not raised
    assert "--user-agent" in capsys.readouterr().err
    assert main(["fetch", "sec", "320193", "--user-agent", AGENT]) == 2
    assert "--to" in capsys.readouterr().err
    assert main(["fetch"]) == 2


# Nothing else touches the network

REFUSE_SOCKETS = (
    "import socket\n"
    "def refuse(*args, **kwargs):\n"
    "    raise AssertionError('a socket was opened')\n"
    "class Refused(socket.socket):\n"
    "    __init__ = refuse\n"
    "socket.socket = Refused\n"
)


def test_importing_and_loading_the_dataset_never_opens_a_socket():
    code = (
        f"{REFUSE_SOCKETS}"
        "socket.create_connection = refuse\n"
        "import capexmodel as cm, capexmodel._sources.fetch, capexmodel._present.cli\n"
        "from capexmodel._present.report import build_report\n"
        "dataset = cm.load_dataset()\n"
        "build_report(dataset, 'en_US')\n"
        "assert capexmodel._present.cli.main(['report', '--format', 'json']) == 0\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert '"sections"' in done.stdout


def test_the_socket_guard_catches_a_download():
    code = (
        f"{REFUSE_SOCKETS}import tempfile\n"
        "import capexmodel as cm\n"
        "cm.fetch_companyfacts(1, user_agent='J j@example.com', to=tempfile.mkdtemp(), base_url='http://127.0.0.1:9')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "a socket was opened" in done.stderr


def test_a_fetch_error_pickles_with_what_went_wrong():
    error = cm.FetchError("no company facts", cik=APPLE, url="https://data.sec.gov/x", status=404)
    copied = pickle.loads(pickle.dumps(error))
    assert (type(copied), str(copied), copied.cik, copied.url, copied.status) == (
        cm.FetchError,
        "no company facts",
        APPLE,
        "https://data.sec.gov/x",
        404,
    )


#: Arguments the SEC's rules refuse, the environment's language, and the start of what the command says.
REFUSED_IN_CHINESE = [
    (
        "zh_CN.UTF-8",
        ["320193", FULLWIDTH],
        f"CIK是SEC的中央索引码，为1至9999999999的整数，最多十位ASCII数字，实际为{FULLWIDTH!r}",  # noqa: RUF001
    ),
    ("zh_TW.UTF-8", ["320193", "--user-agent", "Jane Doe"], "SEC要求每個用戶端聲明身分："),  # noqa: RUF001
    ("zh_CN.UTF-8", ["320193", "--base-url", "http://data.sec.gov"], "基础网址须为不带查询或片段的https://地址"),
]


@pytest.mark.parametrize("case", REFUSED_IN_CHINESE)
def test_the_command_says_what_the_secs_rules_refuse_in_the_readers_words(server, capsys, tmp_path, monkeypatch, case):
    lang, arguments, said = case
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", lang)
    defaults = ["--user-agent", AGENT, "--base-url", server.url]
    status, out, err = run(capsys, "fetch", "sec", *defaults, *arguments, "--to", str(tmp_path))
    assert (status, out) == (1, "")
    assert err.startswith(f"capexmodel：{said}")  # noqa: RUF001
    assert err.count("\n") == 1
    assert server.requests == []
