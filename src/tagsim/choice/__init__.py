"""Choice: which file an installer takes, and why every other file lost. One pass gives both.

`decide` is the entry point, and the explanation path; `batch` decides one listing for many
(platform, Python, installer) columns at once, equal to `decide` for each. The installer `registry` holds one family object per installer
(pip, uv, poetry, pdm): its versions and era table, tag generator, era hint, flags and the
function that picks a file (`pip`, `uv`, `poetry`, `pdm` modules). Shared steps: the first pass
every installer makes (`verdict`), flags, requirements, reasons and outcomes as enums, the
decision and its explanation (`decision`, `hints`). Choosing is pure: no I/O, and what a listing
remembers across many targets lives in the `Listing` the caller passes in.
May import: `tagsim.files`, `tagsim.tags`, `tagsim.platform`, `tagsim.errors`.
"""
