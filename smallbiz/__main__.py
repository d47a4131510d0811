"""`python -m smallbiz` runs the CLI."""

from smallbiz.cli.main import main

if __name__ == "__main__":
    main()
