"""Reports: what a command computes, as data: `explain` (one platform), `check` (a matrix of
platforms x Pythons x installers, with what-if diffs), `history` (every release), `stream` (JSON
lines for a whole index), and `grid`, the heatmap model (rows x columns of decisions) the HTML report
and the notebook draw. Renderers (`tagsim.render`) turn a report into text, Markdown, GitHub
annotations or JSON.
May import: `tagsim.choice`, `tagsim.files`, `tagsim.tags`, `tagsim.platform`, `tagsim.errors`.
"""
