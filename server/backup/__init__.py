"""`miraiworks backup` and `miraiworks restore`: the database and the file store in one archive.

An archive is a gzipped tar holding `manifest.json` (format, time, dialect, schema revision,
the binlog position when the server has one, and per member its row count or size and
sha256), one JSON-lines file per table under `tables/`, and every stored object a row names
under `files/<key>`. `archive.py` writes and checks it, `dump.py` reads one consistent
snapshot, `restore.py` loads it into an empty, migrated database and an empty store.
"""
