"""`python -m smallbiz` runs the CLI."""

from smallbiz.cli.main import main

main()
