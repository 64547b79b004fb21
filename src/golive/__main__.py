"""Allow `python -m golive`, the same as the installed `golive` command."""

from golive.cli.main import main

main()
