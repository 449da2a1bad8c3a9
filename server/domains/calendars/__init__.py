"""Google and Microsoft calendars connected over OAuth, two-way sync of interviews, busy times, feeds."""
