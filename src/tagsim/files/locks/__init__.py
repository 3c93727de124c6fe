"""Lock files as sources: `uv.lock`, `pylock.toml`/`pylock.*.toml` (PEP 751), `poetry.lock`, `pdm.lock`.

One reader module per format turns a lock into a `LockFile` (`model`): typed per-package records
(name, version, source kind, marker, requires-python, wheel and sdist files) and the lock's own
environment limits. `detect` recognises a lock by its name and its content; `read_lock` reads one.
A lock that cannot be read at all is one `SourceError` naming the file, the line and the field; a
package or file that cannot be used stays listed, with its problem.
May import: `tagsim.files` (the filename parser), `tagsim.platform`, `tagsim.errors`.
"""
