"""The terminal app's screens (Textual).

Textual paints at most TEXTUAL_FPS frames a second (60 by default), and rows that arrive
between frames wait for the next one: a filter keystroke's new rows waited up to two
frames, ~25 ms of its ~40 ms. The app asks for 120 unless the user set their own; it
only paints when something changed, so an idle screen costs nothing more. Set here, before
any screen imports Textual (which reads it once).
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
