"""Users, units and memberships: who may see and do what."""
