"""The application layer: one function per use case, used by the CLI and the TUI alike.

`root` is the composition root: it wires the domains together (which checks `check`
runs, which sections the 360 views show) explicitly, so no domain names another by
string and nothing registers itself at import time.
"""
