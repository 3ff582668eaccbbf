"""`python -m protodsl` is the same program as `protodsl`."""

from protodsl.cli import main

raise SystemExit(main())
