"""Render: one module per output format (text, markdown, github, json, html), from report objects to strings.

`formats.render(report, fmt)` dispatches on the report's type; a command builds a report and
never branches on the format itself. A decision has one JSON shape (`json.decision_json`).
May import: `tagsim.report`, `tagsim.verify` (its result types), `tagsim.choice`, `tagsim.files`, `tagsim.tags`, `tagsim.platform`, `tagsim.errors`.
"""
