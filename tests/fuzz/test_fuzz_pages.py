"""Fuzz campaign: PEP 691 JSON and PEP 503 HTML project pages (valid, near-valid, hostile).

Rule: a page is read into files or refused with a `SourceError` naming the page; a page that is
read keeps every file it lists (no entry is dropped), in order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from html import escape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fuzz_support import LARGE, count, fuzz, peak, result_or_tagsim_error
from tagsim.cli import main
from tagsim.errors import SourceError
from tagsim.files.pages import parse_pep503, parse_pep691
from tagsim.files.sources import MAX_PAGE_BYTES, load_source

ROOT = Path(__file__).resolve().parents[2]
good_names = st.sampled_from(["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz", "demo-2.0-cp312-cp312-win_amd64.whl",
                              "demo-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "other-1.0.tar.gz",
                              "demo-1.0-py3-none-any.whl", "Demo-3.0rc1.zip", "demo-1.0.whl", "README.txt"])
hostile_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
filenames = st.one_of(good_names, hostile_names, st.just("\ud800.whl"), st.just("a" * 3000 + ".whl"))
#: What an HTML page (UTF-8 text) can carry as a plain link: no URL syntax (`A:0` is scheme `a`, path `0`, for
#: pip as for tagsim), no control characters or blanks.
html_names = st.one_of(good_names, st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
                                                         exclude_characters="/?#%\\:"), min_size=1, max_size=40)
                       .filter(lambda n: n.strip() == n and n.isprintable()))
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=False),
                         st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                           max_leaves=8)


@st.composite
def file_entries(draw: st.DrawFn) -> Any:
    entry: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        entry["filename"] = draw(st.one_of(filenames, json_values)) if not draw(st.integers(0, 9)) else draw(filenames)
    if draw(st.booleans()):
        entry["requires-python"] = draw(st.one_of(st.sampled_from([">=3.8", "<3", "~=1", ">=3.999999999999999999999",
                                                                   "", "nonsense", ">=3.8,<4"]), json_values))
    if draw(st.booleans()):
        entry["yanked"] = draw(st.one_of(st.booleans(), st.text(max_size=10), json_values))
    if draw(st.booleans()):
        entry["upload-time"] = draw(json_values)
    if draw(st.booleans()):
        entry["hashes"] = draw(json_values)
    return entry if draw(st.integers(0, 19)) else draw(json_values)


@st.composite
def pep691_pages(draw: st.DrawFn) -> str:
    files = draw(st.lists(file_entries(), max_size=8))
    if files and draw(st.booleans()):
        files.append(files[0])  # duplicates
    doc: Any = {"meta": {"api-version": "1.1"}, "files": files}
    if draw(st.booleans()):
        doc["name"] = draw(st.one_of(st.sampled_from(["demo", "other", "Demo_", ""]), json_values))
    if not draw(st.integers(0, 9)):
        doc = draw(st.one_of(json_values, st.just({"files": draw(json_values)})))
    text = json.dumps(doc)
    mode = draw(st.sampled_from(["as-is"] * 6 + ["truncate", "nest", "bigint", "garbage"]))
    if mode == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif mode == "nest":
        text = '{"files": ' + "[" * draw(st.integers(100, 50_000)) + "]"
    elif mode == "bigint":
        text = '{"files": [], "x": ' + "9" * draw(st.integers(4000, 6000)) + "}"
    elif mode == "garbage":
        text = draw(st.text(max_size=200))
    return text


def expected_json_files(text: str) -> list[str] | None:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        return None
    return [e.get("filename") if isinstance(e, dict) else None for e in doc["files"]]


@fuzz(ci=150, large=15_000)
@given(pep691_pages())
@example('{"files": ' + "[" * 100_000 + "]")  # RecursionError before the fix
@example('{"files": [], "x": ' + "9" * 5000 + "}")  # ValueError (int digit limit) before the fix
@example('{"files": [{"filename": "demo-1.0-py3-none-any.whl", "yanked": ""}]}')
def test_pep691_pages(text: str) -> None:
    count("pages")
    result, error = result_or_tagsim_error(lambda: parse_pep691(text, origin="page.json"))
    if error is not None:
        assert isinstance(error, SourceError) and "page.json" in str(error)
        return
    _, files = result
    wanted = expected_json_files(text)
    assert wanted is not None and [f.filename for f in files] == wanted  # nothing dropped, nothing invented
    for dist in files:
        assert dist.usable or dist.problem


ATTRS = st.sampled_from(['data-yanked', 'data-yanked=""', 'data-yanked="broken &amp; bad"', 'data-requires-python="&gt;=3.8"',
                         'data-requires-python', "data-requires-python='&lt;3'", 'data-dist-info-metadata="sha256=00"',
                         'rel="internal"', 'data-yanked=\'\'', 'data-requires-python="&gt;=3.99999999999999999999"'])


@st.composite
def anchors(draw: st.DrawFn) -> tuple[str, str | None]:
    """One `<a>` element and the filename a reader must take from it (None: no filename at all)."""
    name = draw(html_names)
    quoted = draw(st.sampled_from(["plain", "percent", "entity", "absolute", "fragment", "empty", "nohref", "slash"]))
    href: str | None = {"plain": name, "percent": "".join(f"%{b:02X}" for b in name.encode("utf-8")),
                        "entity": f"../../files/{name}", "absolute": f"https://files.example/packages/ab/{name}#sha256=00",
                        "fragment": f"{name}?x=1#frag", "empty": "", "nohref": None, "slash": f"{name}//"}[quoted]
    label = draw(st.sampled_from([name, "", "demo-9.9-py3-none-any.whl"]))  # the text is never the filename
    wanted = None if not href else name  # pip's Link.from_element skips a link without href; "a/" names "a"
    attrs = " ".join(draw(st.lists(ATTRS, max_size=3)))
    href_attr = "" if href is None else f'href="{escape(href)}"'
    close = draw(st.sampled_from(["</a>", "</a>", "</A>", ""]))
    return f"<a {href_attr} {attrs}>{escape(label)}{close}\n", wanted


@st.composite
def pep503_pages(draw: st.DrawFn) -> tuple[str, list[str | None], bool]:
    items = draw(st.lists(anchors(), max_size=8))
    body = "".join(html for html, _ in items)
    page = f"<!DOCTYPE html><html><head><title>Links for demo</title></head><body><h1>Links</h1>{body}</body></html>"
    damaged = False
    mode = draw(st.sampled_from(["as-is"] * 6 + ["truncate", "garbage", "entities", "nested", "comment"]))
    if mode == "truncate":
        page, damaged = page[: draw(st.integers(0, len(page)))], True
    elif mode == "garbage":
        page, damaged = draw(st.text(max_size=300)), True
    elif mode == "entities":
        page, damaged = page.replace("&", "&#x26;&amp;&#0;&#xFFFFFFFF;&nosuch;"), True
    elif mode == "nested":
        page, damaged = "<a>" * draw(st.integers(1, 5000)) + page, True
    elif mode == "comment":  # pip only feed()s: nothing after an unclosed comment is ever seen
        cut = draw(st.integers(0, len(items)))
        body = "".join(html for html, _ in items[:cut]) + "<!-- " + "".join(html for html, _ in items[cut:])
        page = f"<!DOCTYPE html><html><body>{body}</body></html>"
        return page, [wanted for _, wanted in items[:cut]], False
    return page, [wanted for _, wanted in items], damaged


@fuzz(ci=150, large=15_000)
@given(pep503_pages())
@example(('<a href="demo-1.0-py3-none-any.whl">demo-1.0-py3-none-any.whl', ["demo-1.0-py3-none-any.whl"], False))
@example(('<a href="a-1.0.tar.gz"><a href="b-1.0.tar.gz">b</a>', ["a-1.0.tar.gz", "b-1.0.tar.gz"], False))
def test_pep503_pages(page: tuple[str, list[str | None], bool]) -> None:
    count("pages")
    text, wanted, damaged = page
    result, error = result_or_tagsim_error(lambda: parse_pep503(text, origin="page.html"))
    assert error is None  # HTML within the tag caps is never refused: a page reads as its links
    names = [f.filename for f in result]
    if not damaged:
        expected = [w for w in wanted if w is not None]
        assert len(names) == len(expected)  # every link with a filename is kept, even without `</a>`
        assert all(e == "?" or e == n for e, n in zip(expected, names, strict=True))


@fuzz(ci=30, large=2_000)
@given(n=st.integers(0, 200), quoted=st.booleans(), extra=st.integers(0, 3))
def test_attribute_floods(n: int, quoted: bool, extra: int) -> None:
    """Issue 14 class 6: a tag with many attributes is read (up to 64) or the page is refused; never a blow-up."""
    count("pages")
    attrs = " ".join(f'a{i}="1"' if quoted else f"a{i}=1" for i in range(n))
    page = '<a href="demo-1.0.tar.gz">x</a>' * extra + f'<a {attrs} href="demo-2.0.tar.gz">x</a>'
    result, error = result_or_tagsim_error(lambda: parse_pep503(page, origin="page.html"))
    if n + 1 > 64:
        assert isinstance(error, SourceError) and "over 64 attributes" in str(error)
    else:
        assert error is None and [f.filename for f in result][-1] == "demo-2.0.tar.gz" and len(result) == extra + 1


def test_unclosed_last_link_is_kept() -> None:
    """Bug pin: a page truncated inside its last `<a>` (or with `<a>` never closed) silently lost that file.
    A valueless `data-yanked` is not a yank to pip (recorded: tests/fidelity/test_pep503_pages.py)."""
    files = parse_pep503('<a href="x/demo-1.0.tar.gz">demo-1.0.tar.gz</a><a href="x/demo-1.1.tar.gz" data-yanked>demo',
                         origin="p")
    assert [f.filename for f in files] == ["demo-1.0.tar.gz", "demo-1.1.tar.gz"] and not files[1].yanked


def test_huge_attribute_lists_are_refused_in_bounded_memory() -> None:
    """Issue 14 item 6: one `<a>` with 3M attributes (12 MB) was a MemoryError, a 4 MB page 803 MiB."""
    import tracemalloc

    page = '<a href="demo-1.0.tar.gz">x</a><a ' + "a=1 " * 1_000_000 + 'href="demo-2.0.tar.gz">x</a>'
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="1 tag\\(s\\) over 64 attributes or 65536 characters"):
            parse_pep503(page, origin="p")
        top = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert top < 64 * 2**20, top


def test_json_nesting_and_huge_integers_are_source_errors() -> None:
    """Crash pins: RecursionError (deep arrays) and ValueError (int over 4300 digits) escaped `parse_pep691`."""
    with pytest.raises(SourceError, match="unreadable JSON"):
        parse_pep691('{"files": ' + "[" * 100_000 + "]}", origin="p")
    with pytest.raises(SourceError, match="unreadable JSON"):
        parse_pep691('{"files": [], "x": ' + "9" * 5000 + "}", origin="p")


def test_overlong_source_argument_is_a_name_not_a_crash(capsys: pytest.CaptureFixture[str]) -> None:
    """Crash pin: a 5000-character SOURCE made `Path.is_dir()` raise OSError ENAMETOOLONG."""
    name = "demo-1.0-py3-none-manylinux_2_" + "9" * 5000 + "_x86_64.whl"
    assert load_source(name)[0].filename == name
    code = main(["explain", "linux-x86_64-glibc2.17", name, "--format", "json"])
    _, err = capsys.readouterr()
    assert code == 0 and "internal error" not in err


#: `tagsim` in a child process that reports its own peak RSS (KiB) last on stderr.
# VmHWM, not getrusage: on Linux ru_maxrss survives fork+exec, so a child of a big pytest process
# reports the parent's peak (seen in CI: 407 MB for a 60 MB run). VmHWM belongs to the new image.
CHILD = ("import sys\nfrom tagsim.cli import main\ncode = main(sys.argv[1:])\n"
         "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
         "print('MAXRSS', hwm, file=sys.stderr)\nsys.exit(code)")


def _page(n: int, tmp_path: Path) -> Path:
    files = [{"filename": f"demo-{i // 40}.{i % 7}-cp3{8 + i % 6}-cp3{8 + i % 6}-manylinux_2_{5 + i % 30}_x86_64.whl",
              "requires-python": ">=3.8", "yanked": i % 97 == 0, "hashes": {"sha256": "0" * 64}} for i in range(n)]
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"name": "demo", "files": files}), encoding="utf-8")
    return path


def test_enormous_page_is_read_with_bounded_memory(tmp_path: Path) -> None:
    """A page of many files runs in a child process; its peak RSS is recorded (docs/robustness.md)."""
    n = 300_000 if LARGE else 30_000  # 57.5 MiB: just under the 64 MiB page cap
    path = _page(n, tmp_path)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", CHILD, "explain", "linux-x86_64-glibc2.17", str(path), "--installer", "pip"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=600)
    elapsed = time.monotonic() - started
    count("pages")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    rss = int(proc.stderr.rsplit("MAXRSS ", 1)[1]) * 1024
    size = path.stat().st_size
    peak(f"explain on a {size // 2**20} MiB PEP 691 page ({n} files): peak RSS of the process", rss)
    peak(f"explain on a {size // 2**20} MiB PEP 691 page ({n} files): seconds", int(elapsed))
    assert rss < 64 * 2**20 + 40 * size  # proportional to the page, never unbounded


def test_page_over_the_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_PAGE_BYTES + 1)  # sparse: nothing is written, nothing must be read
    with pytest.raises(SourceError, match="over the"):
        load_source(str(path))
    count("pages")
