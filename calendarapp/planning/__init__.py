"""Planning the weeks: region campaigns and unit content pillars (themes)."""
