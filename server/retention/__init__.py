"""Retention from the database definition ("Retention Policies"), run by `miraiworks purge` and
the nightly `maintenance.purge` job.

- `policy`: how long each kind of data is kept (the definition's numbers);
- `run`: the purge itself, step by step, with progress and one audit note per run;
- `soft_deleted`: rows soft-deleted 90 days ago or earlier, hard-deleted children first;
- `cascades`: what goes with a row (its attachments, rows its foreign keys cascade to);
- `files`: bytes whose last row is gone;
- `batches`: batched deletes of plain rows (audit logs).

This package imports nothing at import time, so domain modules may use `policy`.
"""
