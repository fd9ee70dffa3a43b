"""Tugas Saya (my work) and the notification bell: what a person should do next."""
