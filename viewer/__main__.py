"""``python -m viewer`` runs the same command line as ``l5s1-viewer``."""

from viewer.cli import main

raise SystemExit(main())
