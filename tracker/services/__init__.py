"""Use cases joining the domain and the store: adding, firing events, bulk, undo, demo."""
