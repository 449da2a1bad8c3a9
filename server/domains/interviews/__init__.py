"""Interviews: scheduling, the status machine, feedback, notes, meeting rooms and calendar invites."""
