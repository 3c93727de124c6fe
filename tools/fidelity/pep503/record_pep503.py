"""Ask real pip and uv which links of odd PEP 503 pages they see (issue 14 item 13).

Each page lists py3-none-any wheels of `demo` 1.0, 1.1 and 1.2 in some hostile way. A local HTTP
index serves the page at /simple/demo/ and any path whose last segment (trailing slashes removed)
names a wheel serves that wheel. The installer installs `demo` with no pin: the version it picks
shows which links it read (and which it took as yanked). Writes
tests/fixtures/pep503/recorded.json.

    python tools/fidelity/pep503/record_pep503.py --pip PATH/bin/pip --uv PATH/bin/uv
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tagsim.verify.dummy_index import IndexFile, build_wheel

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "tests" / "fixtures" / "pep503" / "recorded.json"
W = "demo-{}-py3-none-any.whl"

#: name -> page body. The expectations are not written here: the installers answer.
PAGES = {
    "no-href": f'<a href="{W.format("1.0")}">{W.format("1.0")}</a><a>{W.format("1.2")}</a>',
    "empty-href": f'<a href="{W.format("1.0")}">x</a><a href="">{W.format("1.2")}</a>',
    "trailing-slash": f'<a href="{W.format("1.0")}">x</a><a href="{W.format("1.2")}/">x</a>',
    "unclosed-comment": f'<a href="{W.format("1.0")}">x</a><!-- <a href="{W.format("1.2")}">x</a>',
    "unfinished-last-tag": f'<a href="{W.format("1.0")}">x</a><a href="{W.format("1.2")}"',
    "valueless-yanked": f'<a href="{W.format("1.0")}">x</a><a href="{W.format("1.2")}" data-yanked>x</a>',
    "empty-yanked": f'<a href="{W.format("1.0")}">x</a><a href="{W.format("1.2")}" data-yanked="">x</a>',
    "repeated-href": f'<a href="{W.format("1.0")}" href="{W.format("1.2")}">x</a>',
    "percent-and-query": f'<a href="{W.format("1.0")}">x</a><a href="demo-1.2-py3-none-any%2Ewhl?x=1#frag">x</a>',
    "unclosed-anchors": f'<a href="{W.format("1.0")}"><a href="{W.format("1.1")}"><a href="{W.format("1.2")}">',
}


def serve(folder: Path, page: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0].split("#")[0]
            if path.rstrip("/") == "/simple/demo":
                body, kind = page, "text/html"
            else:
                name = os.path.basename(path.rstrip("/")).replace("%2E", ".").replace("%2e", ".")
                target = folder / name
                if not target.is_file():
                    self.send_error(404)
                    return
                body, kind = target.read_bytes(), "application/octet-stream"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/simple/"


def ask(cmd: list[str], env: dict[str, str]) -> str | None:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    out = proc.stdout + proc.stderr
    found = re.findall(r"demo[-=]=?(1\.[012])", out)
    return f"demo-{found[-1]}" if proc.returncode == 0 and found else None


def version_of(exe: str) -> str:
    out = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
    return out.split()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip", required=True)
    parser.add_argument("--uv", required=True)
    args = parser.parse_args()
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "files"
        folder.mkdir()
        for version in ("1.0", "1.1", "1.2"):
            build_wheel(IndexFile(W.format(version)), folder)
        for name, body in PAGES.items():
            page = f"<!DOCTYPE html><html><body>{body}".encode()
            httpd, url = serve(folder, page)
            try:
                env = {"PATH": os.environ["PATH"], "HOME": tmp, "PIP_CONFIG_FILE": os.devnull, "UV_NO_CONFIG": "1",
                       "UV_CACHE_DIR": str(Path(tmp) / f"uvc-{name}"), "UV_PYTHON_DOWNLOADS": "never"}
                pip = ask([args.pip, "install", "--dry-run", "--no-deps", "--no-cache-dir", "--isolated", "--ignore-installed",
                           "--index-url", url, "demo"], env)
                uv = ask([args.uv, "pip", "install", "--dry-run", "--no-deps", "--no-cache", "--target", str(Path(tmp) / "t"),
                          "--python", sys.executable, "--index-url", url, "demo"], env)
            finally:
                httpd.shutdown()
            records.append({"page": name, "body": body, f"pip=={version_of(args.pip)}": pip,
                            f"uv=={version_of(args.uv)}": uv})
            print(name, pip, uv)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(records, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
