"""Bounded contexts of the API: controllers, services and schemas per domain."""
