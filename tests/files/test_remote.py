"""Live index URLs against a real HTTP server on 127.0.0.1: negotiation, failures, cache, --offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index_server import Route, serve
from tagsim.cli import main
from tagsim.errors import FetchError, SourceError
from tagsim.files.remote import FetchOptions, project_url
from tagsim.files.sources import load_url

PAGE = json.dumps({"meta": {"api-version": "1.1"}, "name": "demo", "files": [
    {"filename": "demo-1.0-py3-none-any.whl", "url": "demo-1.0-py3-none-any.whl", "hashes": {}},
    {"filename": "demo-1.1.tar.gz", "url": "demo-1.1.tar.gz", "hashes": {}, "requires-python": ">=3.8"},
]}).encode()
HTML = (b'<!DOCTYPE html><html><body>'
        b'<a href="/files/demo-1.0-py3-none-any.whl#sha256=00" data-requires-python="&gt;=3.8">demo-1.0-py3-none-any.whl</a>'
        b'<a href="/files/demo-1.1.tar.gz" data-yanked="">demo-1.1.tar.gz</a></body></html>')


def opts(tmp_path: Path, **kw: object) -> FetchOptions:
    return FetchOptions(cache_dir=tmp_path / "cache", timeout=kw.pop("timeout", 2.0), backoff=0.01, **kw)  # type: ignore[arg-type]


def test_json_page_with_pep691_accept_header(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(PAGE)}) as srv:
        files = load_url(srv.url("/simple/demo/"), opts(tmp_path))
    assert [f.filename for f in files] == ["demo-1.0-py3-none-any.whl", "demo-1.1.tar.gz"]
    assert files[1].requires_python == ">=3.8"
    assert srv.requests[0][1].startswith("application/vnd.pypi.simple.v1+json")


def test_html_fallback_keeps_yanked_and_requires_python(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(HTML, "text/html")}) as srv:
        files = load_url(srv.url("/simple/demo/"), opts(tmp_path))
    assert files[0].requires_python == ">=3.8" and files[1].yanked and not files[0].yanked


def test_redirect_is_followed(tmp_path: Path) -> None:
    with serve({"/simple/Demo/": Route(status=301, location="/simple/demo/"), "/simple/demo/": Route(PAGE)}) as srv:
        files = load_url(srv.url("/simple/Demo/"), opts(tmp_path))
    assert len(files) == 2


def test_redirect_loop_is_one_line_error(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(status=302, location="/simple/demo/")}) as srv, pytest.raises(FetchError, match="too many redirects"):
        load_url(srv.url("/simple/demo/"), opts(tmp_path))


def test_404_is_not_retried(tmp_path: Path) -> None:
    with serve({}) as srv, pytest.raises(FetchError, match="HTTP 404"):
        load_url(srv.url("/simple/nothing/"), opts(tmp_path))
    assert len(srv.requests) == 1


def test_500_is_retried_then_succeeds(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(PAGE, fail_times=2)}) as srv:
        files = load_url(srv.url("/simple/demo/"), opts(tmp_path, retries=2))
    assert len(files) == 2 and len(srv.requests) == 3


def test_500_beyond_retries_fails(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(PAGE, fail_times=10)}) as srv, pytest.raises(FetchError, match=r"HTTP 500 .*after 2 attempts"):
        load_url(srv.url("/simple/demo/"), opts(tmp_path, retries=1))


def test_slow_response_times_out(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(PAGE, delay=1.5)}) as srv, pytest.raises(FetchError, match="timed out"):
        load_url(srv.url("/simple/demo/"), opts(tmp_path, timeout=0.3, retries=0))


def test_connection_refused(tmp_path: Path) -> None:
    with serve({}) as srv:
        url = srv.url("/simple/demo/")
    with pytest.raises(FetchError, match="cannot connect"):
        load_url(url, opts(tmp_path, retries=0))


def test_malformed_json_names_the_url(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(b'{"files": [')}) as srv, pytest.raises(SourceError, match="invalid JSON"):
        load_url(srv.url("/simple/demo/"), opts(tmp_path))


def test_wrong_content_type(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(b"hello", "text/plain")}) as srv, pytest.raises(FetchError, match="unexpected content type 'text/plain'"):
        load_url(srv.url("/simple/demo/"), opts(tmp_path))


def test_listing_for_another_project(tmp_path: Path) -> None:
    other = json.dumps({"name": "other", "files": []}).encode()
    with serve({"/simple/demo/": Route(other)}) as srv, pytest.raises(SourceError, match="listing of project 'other', not 'demo'"):
        load_url(srv.url("/simple/demo/"), opts(tmp_path))


def test_huge_content_length_is_refused_before_reading(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(b"{}", content_length=2 * 1024**3)}) as srv, pytest.raises(FetchError, match="over the"):
        load_url(srv.url("/simple/demo/"), opts(tmp_path))


def test_cache_serves_offline_and_offline_without_cache_fails(tmp_path: Path) -> None:
    with serve({"/simple/demo/": Route(PAGE)}) as srv:
        url = srv.url("/simple/demo/")
        load_url(url, opts(tmp_path))
    files = load_url(url, opts(tmp_path, offline=True))
    assert len(files) == 2 and "(cached)" in files[0].origin
    with pytest.raises(FetchError, match="not in the cache"):
        load_url(url, FetchOptions(cache_dir=tmp_path / "empty", offline=True))


def test_index_url_and_project_normalize_the_name() -> None:
    assert project_url("https://pypi.org/simple/", "My_Project") == "https://pypi.org/simple/my-project/"


def test_cli_explain_from_url_and_failure_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGSIM_CACHE_DIR", str(tmp_path))
    with serve({"/simple/demo/": Route(PAGE)}) as srv:
        code = main(["explain", "linux-x86_64-glibc2.17", "--index-url", srv.url("/simple"), "--project", "demo",
                     "--format", "json"])
        out, _ = capsys.readouterr()
        assert code == 0
        assert json.loads(out)["decisions"][0]["file"] == "demo-1.1.tar.gz"
        code = main(["explain", "linux-x86_64-glibc2.17", srv.url("/simple/missing/"), "--timeout", "2"])
        _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "HTTP 404" in err and "Traceback" not in err


def test_html_page_of_another_project_is_refused(tmp_path: Path) -> None:
    """Issue 14 item 12: a PEP 503 page for `demo` that lists only `other-…` files is another project's page."""
    page = b'<a href="other-1.0-py3-none-any.whl">other-1.0-py3-none-any.whl</a>'
    with serve({"/simple/demo/": Route(page, "text/html")}) as srv, \
            pytest.raises(SourceError, match=r"other projects' files \(other\), not 'demo'"):
        load_url(srv.url("/simple/demo/"), opts(tmp_path))
    mixed = page + b'<a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a>'
    with serve({"/simple/demo/": Route(mixed, "text/html")}) as srv:
        assert [f.filename for f in load_url(srv.url("/simple/demo/"), opts(tmp_path))][-1] == "demo-1.0.tar.gz"


def test_name_lists_and_pages_with_a_bom_and_odd_line_breaks(tmp_path: Path) -> None:
    """Issue 14 item 15: a UTF-8 BOM is dropped with a warning (pip's JSON reader drops it too), and a name
    list splits at newlines only (`str.splitlines` also split at form feeds, \\x1c-\\x1e, \\x85, U+2028)."""
    from tagsim.files.sources import load_sources

    names = tmp_path / "names.txt"
    names.write_bytes(b"\xef\xbb\xbfdemo-1.0-py3-none-any.whl\r\ndemo-1.1.tar.gz\x0cdemo-1.2.tar.gz\n")
    loaded = load_sources([str(names)])
    assert loaded.files[0].filename == "demo-1.0-py3-none-any.whl"
    assert len(loaded.files) == 2 and loaded.files[0].usable
    assert loaded.warnings == [f"{names}: starts with a UTF-8 byte-order mark (BOM); read without it"]
    page = tmp_path / "demo.json"
    page.write_bytes(b'\xef\xbb\xbf{"name": "demo", "files": [{"filename": "demo-1.0-py3-none-any.whl"}]}')
    assert [f.filename for f in load_sources([str(page)]).files] == ["demo-1.0-py3-none-any.whl"]
