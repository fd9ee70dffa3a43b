"""Prokopim: the leader's agenda and the coverage asked of contributors in other units."""
