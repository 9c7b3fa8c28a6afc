"""The rules of the Grade-2 Constructor process: pure Python, no I/O, no SQL, no UI."""
