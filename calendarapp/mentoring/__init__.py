"""Diskominfo's trainings (FGD, bimtek, workshop, visits), mentoring notes and their RTL."""
