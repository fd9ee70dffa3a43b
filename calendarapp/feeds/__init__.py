"""iCalendar feeds that phones subscribe to: secret URLs, built with icalendar, cached per event."""
