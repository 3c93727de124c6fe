"""Tags: each installer era's ordered list of compatible wheel tags, and the tag -> rank index.

Small pure generators that take a profile's facts and an era row as parameters (like
packaging's `tags.py`), one module per installer family's tag code and per platform family.
May import: `tagsim.platform`, `tagsim.errors`.
"""
