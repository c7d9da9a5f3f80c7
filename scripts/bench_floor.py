#!/usr/bin/env python3
"""The store's floor: how fast SQLite alone (the system library crmbridge links) writes the rows
of `make bench`, with no reading, normalizing or binding, each step one SQL statement.

    make bench        # makes bench-data/bench.sqlite, the store after its update run
    make bench-floor  # this script

First load: copies the bench store's customers and cross-reference into a new file the way
crmbridge builds a store that does not exist (64 KiB pages, no journal, indexes of the bench's
bulk load built at the end, fsync). Update: on a copy of the bench store, in one WAL
transaction, changes 10% of the customers and their xref rows and logs one change each, then
commits and checkpoints. crmbridge cannot run faster than these on the same machine.
"""
import os
import shutil
import sqlite3
import sys
import time

BENCH = "bench-data/bench.sqlite"
FLOOR = "bench-data/floor.sqlite"


def remove(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def fsync(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def first_load():
    remove(FLOOR)
    db = sqlite3.connect(FLOOR, isolation_level=None)
    db.executescript("PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                     "PRAGMA cache_size = -65536; PRAGMA temp_store = FILE")
    schema = [sql for (name, sql) in sqlite3.connect(BENCH).execute(
        "SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND tbl_name IN ('customers', 'xref')")]
    deferred = [sql for sql in schema if "customers_phone" in sql or "customers_tax_id" in sql]
    db.executescript(";".join(sql for sql in schema if sql not in deferred))
    db.execute(f"ATTACH '{BENCH}' AS bench")
    start = time.monotonic()
    db.execute("BEGIN")
    db.execute("INSERT INTO main.xref SELECT * FROM bench.xref")
    db.execute("INSERT INTO main.customers SELECT * FROM bench.customers ORDER BY rowid")
    for sql in deferred:
        db.execute(sql)
    db.execute("COMMIT")
    db.close()
    fsync(FLOOR)
    return time.monotonic() - start


def update():
    remove(FLOOR)
    shutil.copyfile(BENCH, FLOOR)
    os.sync()
    db = sqlite3.connect(FLOOR, isolation_level=None)
    db.executescript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536")
    start = time.monotonic()
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE customers SET notes = coalesce(notes, '') || 'x', changed_batch = -1 WHERE rowid % 10 = 3")
    # xref has no rowid: the bench's ids end in a digit, and one in ten ends in 3.
    db.execute("UPDATE xref SET record = record || 'x', batch = -1, digest = digest + 1 WHERE source_id LIKE '%3'")
    db.execute("""INSERT INTO change_log (batch, customer_key, field, old_value, new_value, source_system, source_id, changed_at)
                  SELECT -1, customer_key, 'notes', notes, notes || 'x', created_system, created_source_id, ''
                  FROM customers WHERE rowid % 10 = 3""")
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return time.monotonic() - start


def main():
    if not os.path.exists(BENCH):
        sys.exit(f"bench-floor: no {BENCH}: run `make bench` first")
    rows = sqlite3.connect(BENCH).execute("SELECT count(*) FROM xref").fetchone()[0]
    print(f"crmbridge bench-floor: SQLite {sqlite3.sqlite_version} alone, {rows} rows of {BENCH}")
    for label, step in (("first load", first_load), ("10% update", update)):
        seconds = step()
        print(f"{label:<12} {seconds:7.2f} s  {rows / seconds:>9,.0f} rows/s")
    remove(FLOOR)


if __name__ == "__main__":
    main()
