"""The machine: platform profiles, interpreters, and platform tags parsed into typed values.

A profile replaces host detection: every fact that changes which wheel tags fit is a field. Two
profiles come from a real machine: `here` (this one, detected as packaging detects it) and a saved
`pip debug --verbose` output (`pip_debug`).
May import: `tagsim.errors` only.
"""
