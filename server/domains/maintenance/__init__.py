"""Housekeeping the product does on its own schedule, across domains."""
