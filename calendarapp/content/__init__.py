"""Content items, their workflow states and history."""
