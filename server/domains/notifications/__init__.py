"""Notifications: created by domain services through `notify`, read and dismissed by their user."""
