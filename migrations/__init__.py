"""Alembic migrations; `server.migrate` runs them programmatically."""
