// What sending several rows to one INSERT statement buys, against the system SQLite alone
// (docs/performance.md, "Sixteen rows to a statement"). Not built by the package:
//
//     cc -O2 scripts/bench_rows_per_statement.c -lsqlite3 -o /tmp/rows-per-statement
//     /tmp/rows-per-statement xref 480000 1 && /tmp/rows-per-statement xref 480000 16
//     /tmp/rows-per-statement customers 400000 1 && /tmp/rows-per-statement customers 400000 16
//
// `xref`: rows shaped like the cross-reference's (a 240-byte record, ids in order);
// `customers`: 27 columns with random 32-byte keys. Into a new file with 64 KiB pages and no
// journal, in one transaction, as a first load writes; `INSERT OR IGNORE` as crmbridge sends them.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void check(int code, sqlite3 *db) {
    if (code != SQLITE_OK && code != SQLITE_DONE) {
        fprintf(stderr, "%s\n", sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s xref|customers ROWS ROWS_PER_STATEMENT\n", argv[0]);
        return 2;
    }
    int customers = strcmp(argv[1], "customers") == 0, rows = atoi(argv[2]), k = atoi(argv[3]);
    int columns = customers ? 27 : 10;
    const char *path = "/tmp/rows-per-statement.sqlite";
    remove(path);
    sqlite3 *db;
    check(sqlite3_open(path, &db), db);
    check(sqlite3_exec(db, "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                           "PRAGMA cache_size = -65536", 0, 0, 0), db);
    char create[2048];
    if (customers) {
        strcpy(create, "CREATE TABLE t (customer_key BLOB PRIMARY KEY, phone_e164 TEXT NOT NULL, tax_id TEXT NOT NULL");
        for (int c = 3; c < columns; c++) sprintf(create + strlen(create), ", c%d TEXT", c);
        strcat(create, ")");
    } else {
        strcpy(create, "CREATE TABLE t (source_system TEXT NOT NULL, source_id TEXT NOT NULL, customer_key BLOB,"
                       " state TEXT NOT NULL CHECK (state IN ('merged', 'pending')), link TEXT NOT NULL,"
                       " batch INTEGER NOT NULL, digest INTEGER NOT NULL, updated_at TEXT, record TEXT NOT NULL,"
                       " raw_digest INTEGER, PRIMARY KEY (source_system, source_id)) WITHOUT ROWID;"
                       "CREATE INDEX t_pending ON t(state) WHERE state = 'pending'");
    }
    check(sqlite3_exec(db, create, 0, 0, 0), db);
    char *sql = malloc(64 + (size_t)k * (2 * columns + 4));
    strcpy(sql, "INSERT OR IGNORE INTO t VALUES ");
    for (int r = 0; r < k; r++) {
        strcat(sql, r ? ",(" : "(");
        for (int c = 0; c < columns; c++) strcat(sql, c ? ",?" : "?");
        strcat(sql, ")");
    }
    sqlite3_stmt *insert;
    check(sqlite3_prepare_v2(db, sql, -1, &insert, 0), db);
    check(sqlite3_exec(db, "BEGIN", 0, 0, 0), db);
    char id[32], key[32], record[240];
    memset(record, 'a', sizeof record);
    unsigned long long x = 88172645463325252ULL;
    double start = now();
    for (int i = 0; i + k <= rows; i += k) {
        sqlite3_reset(insert);
        for (int r = 0; r < k; r++) {
            int at = r * columns;
            for (int q = 0; q < 32; q++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; key[q] = (char)x; }
            if (customers) {
                sprintf(id, "+86136%08d", i + r);
                sqlite3_bind_blob(insert, at + 1, key, 32, SQLITE_TRANSIENT);
                sqlite3_bind_text(insert, at + 2, id, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(insert, at + 3, "91370212840807763W", -1, SQLITE_STATIC);
                for (int c = 3; c < columns; c++) sqlite3_bind_text(insert, at + c + 1, "青岛合力医疗器械有限公司", -1, SQLITE_STATIC);
            } else {
                sprintf(id, "KH%08d", i + r);
                sqlite3_bind_text(insert, at + 1, "crm", -1, SQLITE_STATIC);
                sqlite3_bind_text(insert, at + 2, id, -1, SQLITE_TRANSIENT);
                sqlite3_bind_blob(insert, at + 3, key, 32, SQLITE_TRANSIENT);
                sqlite3_bind_text(insert, at + 4, (i + r) % 3 ? "merged" : "pending", -1, SQLITE_STATIC);
                sqlite3_bind_text(insert, at + 5, "key", -1, SQLITE_STATIC);
                sqlite3_bind_int64(insert, at + 6, 1);
                sqlite3_bind_int64(insert, at + 7, (long long)x);
                sqlite3_bind_text(insert, at + 8, "2026-11-21T13:49:44+08:00", -1, SQLITE_STATIC);
                sqlite3_bind_text(insert, at + 9, record, sizeof record, SQLITE_STATIC);
                sqlite3_bind_int64(insert, at + 10, i + r);
            }
        }
        check(sqlite3_step(insert), db);
    }
    double seconds = now() - start;
    check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db);
    printf("%s: %d rows, %d to a statement: %.3f s, %.2f µs a row\n", argv[1], rows, k, seconds, seconds / rows * 1e6);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    remove(path);
    return 0;
}
