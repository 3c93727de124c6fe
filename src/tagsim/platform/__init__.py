"""The machine: platform profiles, interpreters, and platform tags parsed into typed values.

A profile replaces host detection: every fact that changes which wheel tags fit is a field.
May import: `tagsim.errors` only.
"""
