from aibcheck.cli import main

raise SystemExit(main())
