"""Stored recordings of meetings: their rows, their files, who may see them, and their recorder's jobs."""
