"""The terminal app's screens (Textual).

Importing this package changes nothing outside it: the frame rate the app asks for
(`TEXTUAL_FPS`) is set by `smallbiz.tui_launch.launch`, the one place that starts the app
for a user.
"""
