"""Kinerja akun: what the official accounts really did, beside what the calendar planned."""
