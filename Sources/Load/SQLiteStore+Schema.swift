import GRDB
import Transform

extension SQLiteStore {
    /// The indexes that find a customer by phone or tax ID, as migration v1 made them: a bulk
    /// load drops and rebuilds them (`SQLiteBatchSession`).
    static let lookupIndexes = [
        ("customers_phone", "CREATE INDEX customers_phone ON customers(phone_e164)"),
        ("customers_tax_id", "CREATE INDEX customers_tax_id ON customers(tax_id)"),
    ]

    /// The change log's index by customer, as migration v1 made it: read only by `history`, so
    /// a bulk load drops it until the pending pass has written its changes.
    static let changeLogIndex = ("change_log_customer", "CREATE INDEX change_log_customer ON change_log(customer_key)")

    /// Versioned migrations: a store created by an older crmbridge is brought up to date on open.
    ///
    /// Each migration's SQL is written out, frozen: built from today's enums, an old migration
    /// would create something else the day a column is added. A change of schema is a new
    /// migration; `MigrationTests` builds a store at every version and migrates it to the last.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    -- Tables refer to a batch by its row number; batch_id is the UUID (trace id) people see.
                    CREATE TABLE batches (
                        id INTEGER PRIMARY KEY,
                        batch_id TEXT NOT NULL UNIQUE,
                        pipeline TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        finished_at TEXT NOT NULL,
                        as_of TEXT NOT NULL,
                        summary TEXT NOT NULL
                    );
                    CREATE TABLE batch_files (
                        batch INTEGER NOT NULL,
                        source_system TEXT NOT NULL,
                        path TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        bytes INTEGER NOT NULL,
                        records INTEGER NOT NULL,
                        PRIMARY KEY (batch, source_system, path)
                    );
                    CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
                    -- customer_key is the raw 32-byte HMAC: half the size of hex, and faster to index.
                    CREATE TABLE customers (
                        customer_key BLOB PRIMARY KEY,
                        phone_e164 TEXT NOT NULL,
                        tax_id TEXT NOT NULL,
                        name TEXT,
                        name_pinyin TEXT,
                        company TEXT,
                        province TEXT,
                        city TEXT,
                        district TEXT,
                        adcode TEXT,
                        address_detail TEXT,
                        industry TEXT,
                        owner TEXT,
                        sales_group TEXT,
                        first_touch_channel TEXT,
                        status TEXT,
                        last_contact_at TEXT,
                        next_followup_plan TEXT,
                        next_followup_at TEXT,
                        landline_e164 TEXT,
                        created_at TEXT,
                        notes TEXT,
                        updated_at TEXT,
                        provenance BLOB NOT NULL,
                        created_batch INTEGER NOT NULL,
                        changed_batch INTEGER NOT NULL,
                        created_system TEXT NOT NULL,
                        created_source_id TEXT NOT NULL
                    );
                    CREATE INDEX customers_phone ON customers(phone_e164);
                    CREATE INDEX customers_tax_id ON customers(tax_id);
                    -- A customer's creation is not a change-log row: each field's initial value is the
                    -- old value of its first change (or its value now), created_* say when and from where.
                    -- One row per source record: its customer (NULL while pending) and its latest
                    -- normalized values, from which pending records are retried.
                    CREATE TABLE xref (
                        source_system TEXT NOT NULL,
                        source_id TEXT NOT NULL,
                        customer_key BLOB,
                        state TEXT NOT NULL CHECK (state IN ('merged', 'pending')),
                        link TEXT NOT NULL,
                        batch INTEGER NOT NULL,
                        digest INTEGER NOT NULL,
                        updated_at TEXT,
                        record TEXT NOT NULL,
                        PRIMARY KEY (source_system, source_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
                    CREATE TABLE landlines (
                        landline_e164 TEXT NOT NULL,
                        customer_key BLOB NOT NULL,
                        PRIMARY KEY (landline_e164, customer_key)
                    ) WITHOUT ROWID;
                    CREATE TABLE change_log (
                        id INTEGER PRIMARY KEY,
                        batch INTEGER NOT NULL,
                        customer_key BLOB NOT NULL,
                        field TEXT NOT NULL,
                        old_value TEXT,
                        new_value TEXT,
                        source_system TEXT NOT NULL,
                        source_id TEXT NOT NULL,
                        changed_at TEXT NOT NULL
                    );
                    CREATE INDEX change_log_customer ON change_log(customer_key);
                    CREATE TABLE rejects (
                        id INTEGER PRIMARY KEY,
                        batch INTEGER NOT NULL,
                        source_system TEXT NOT NULL,
                        source_file TEXT NOT NULL,
                        locator TEXT NOT NULL,
                        reason_code TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        source_id TEXT NOT NULL
                    );
                    CREATE INDEX rejects_batch ON rejects(batch);
                    """)
        }
        migrator.registerMigration("v2-interactions") { db in
            try db.execute(
                sql: """
                    -- One row per contact record (a call, a form that counts as a contact). Its customer is
                    -- its xref row's: linked now, or when a later batch brings the caller's number.
                    CREATE TABLE interactions (
                        source_system TEXT NOT NULL,
                        source_id TEXT NOT NULL,
                        batch INTEGER NOT NULL,
                        channel TEXT NOT NULL,
                        started_at TEXT,
                        phone_e164 TEXT,
                        agent TEXT,
                        duration_s INTEGER,
                        outcome TEXT,
                        called TEXT,
                        PRIMARY KEY (source_system, source_id)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3-scans") { db in
            try db.execute(
                sql: """
                    -- Each gap scan's list, so that the next one reports how many were closed.
                    CREATE TABLE scans (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        scanned_at TEXT NOT NULL,
                        items INTEGER NOT NULL
                    );
                    CREATE TABLE scan_items (
                        scan INTEGER NOT NULL,
                        customer_key BLOB NOT NULL,
                        missing TEXT NOT NULL,
                        PRIMARY KEY (scan, customer_key)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v4-reject-owner") { db in
            // The owner column of a rejected record: the per-owner data-quality score counts them.
            try db.execute(sql: "ALTER TABLE rejects ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v5-metrics") { db in
            try db.execute(
                sql: """
                    -- The health metrics of each batch, for trends: one row per metric, per source system
                    -- ('' = overall) and per field ('' = none). numerator/denominator are the counts behind
                    -- a ratio, NULL where the value is not one.
                    CREATE TABLE metrics (
                        batch INTEGER NOT NULL REFERENCES batches(id),
                        metric TEXT NOT NULL,
                        system TEXT NOT NULL DEFAULT '',
                        field TEXT NOT NULL DEFAULT '',
                        value REAL NOT NULL,
                        numerator INTEGER,
                        denominator INTEGER,
                        PRIMARY KEY (batch, metric, system, field)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v6-scan-follow-up") { db in
            // What became of the scan before (NULL for the first), for the dashboard.
            try db.execute(
                sql: """
                    ALTER TABLE scans ADD COLUMN previous_listed INTEGER;
                    ALTER TABLE scans ADD COLUMN closed INTEGER;
                    ALTER TABLE scans ADD COLUMN closed_within_48h INTEGER;
                    """)
        }
        migrator.registerMigration("v7-customer-systems") { db in
            // The source systems that merged a record into each customer (sorted, comma-separated):
            // completeness per system is then part of the one grouped scan of customers, not a
            // join with the cross-reference (about 10 s a batch at a million records).
            try db.execute(
                sql: """
                    ALTER TABLE customers ADD COLUMN systems TEXT NOT NULL DEFAULT '';
                    CREATE TEMP TABLE contributions AS
                        SELECT DISTINCT customer_key, source_system FROM xref WHERE state = 'merged' ORDER BY 1, 2;
                    CREATE INDEX temp.contributions_key ON contributions(customer_key, source_system);
                    UPDATE customers SET systems = COALESCE((SELECT group_concat(source_system, ',') FROM contributions c
                                                             WHERE c.customer_key = customers.customer_key), '');
                    DROP TABLE temp.contributions;
                    """)
        }
        migrator.registerMigration("v8-xref-raw-digest") { db in
            // The digest of the source row as read (cells, mapping, normalizer revision): a row
            // whose digest is unchanged is not normalized again. NULL until a batch reads it.
            try db.execute(sql: "ALTER TABLE xref ADD COLUMN raw_digest INTEGER")
        }
        migrator.registerMigration("v9-presence-groups") { db in
            // Customers counted by owner, systems and filled columns (`PresenceGroups.swift`),
            // which each batch keeps up to date: completeness without a scan of every customer.
            try db.execute(
                sql: """
                    CREATE TABLE presence_groups (
                        owner TEXT NOT NULL,
                        systems TEXT NOT NULL,
                        mask INTEGER NOT NULL,
                        customers INTEGER NOT NULL,
                        PRIMARY KEY (owner, systems, mask)
                    ) WITHOUT ROWID;
                    INSERT INTO presence_groups (owner, systems, mask, customers)
                        SELECT COALESCE(owner, ''), systems,
                            ((phone_e164 IS NOT NULL AND phone_e164 <> '') << 0) | ((phone_e164 IS NOT NULL) << 32)
                            | ((tax_id IS NOT NULL AND tax_id <> '') << 1) | ((tax_id IS NOT NULL) << 33)
                            | ((name IS NOT NULL AND name <> '') << 2) | ((name IS NOT NULL) << 34)
                            | ((name_pinyin IS NOT NULL AND name_pinyin <> '') << 3) | ((name_pinyin IS NOT NULL) << 35)
                            | ((company IS NOT NULL AND company <> '') << 4) | ((company IS NOT NULL) << 36)
                            | ((province IS NOT NULL AND province <> '') << 5) | ((province IS NOT NULL) << 37)
                            | ((city IS NOT NULL AND city <> '') << 6) | ((city IS NOT NULL) << 38)
                            | ((district IS NOT NULL AND district <> '') << 7) | ((district IS NOT NULL) << 39)
                            | ((adcode IS NOT NULL AND adcode <> '') << 8) | ((adcode IS NOT NULL) << 40)
                            | ((address_detail IS NOT NULL AND address_detail <> '') << 9)
                            | ((address_detail IS NOT NULL) << 41) | ((industry IS NOT NULL AND industry <> '') << 10)
                            | ((industry IS NOT NULL) << 42) | ((owner IS NOT NULL AND owner <> '') << 11)
                            | ((owner IS NOT NULL) << 43) | ((sales_group IS NOT NULL AND sales_group <> '') << 12)
                            | ((sales_group IS NOT NULL) << 44)
                            | ((first_touch_channel IS NOT NULL AND first_touch_channel <> '') << 13)
                            | ((first_touch_channel IS NOT NULL) << 45) | ((status IS NOT NULL AND status <> '') << 14)
                            | ((status IS NOT NULL) << 46) | ((last_contact_at IS NOT NULL AND last_contact_at <> '') << 15)
                            | ((last_contact_at IS NOT NULL) << 47)
                            | ((next_followup_plan IS NOT NULL AND next_followup_plan <> '') << 16)
                            | ((next_followup_plan IS NOT NULL) << 48)
                            | ((next_followup_at IS NOT NULL AND next_followup_at <> '') << 17)
                            | ((next_followup_at IS NOT NULL) << 49)
                            | ((landline_e164 IS NOT NULL AND landline_e164 <> '') << 18)
                            | ((landline_e164 IS NOT NULL) << 50) | ((created_at IS NOT NULL AND created_at <> '') << 19)
                            | ((created_at IS NOT NULL) << 51) | ((notes IS NOT NULL AND notes <> '') << 20)
                            | ((notes IS NOT NULL) << 52),
                            count(*) FROM customers GROUP BY 1, 2, 3;
                    """)
        }
        return migrator
    }
}
