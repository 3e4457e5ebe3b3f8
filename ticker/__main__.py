from ticker.cli.commands import main

raise SystemExit(main())
