"""MiraiWorks HTTP API."""
