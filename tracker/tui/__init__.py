"""The Textual dashboard. Textual is imported only here (a test enforces it)."""
