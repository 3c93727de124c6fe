"""`python -m tagsim`."""

from .cli import main

raise SystemExit(main())
