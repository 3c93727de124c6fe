"""Files: distribution files and where they come from.

The one filename parser (`filename`), sources by kind (`sources`: folders, saved and live index
pages, name lists, bare names), index page parsing (`pages`), fetching (`remote`, fetch only), JSON
lines (`jsonlines`), looking inside files at hand (`archives`, `build_needs`: once per file, at load
time), and what-if edits (`edits`).
May import: `tagsim.platform`, `tagsim.errors`.
"""
