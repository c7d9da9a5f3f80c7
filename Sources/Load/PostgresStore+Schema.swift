extension PostgresStore {
    /// Versioned migrations of a PostgreSQL store, applied in order and recorded in
    /// `schema_migrations`. Frozen like SQLite's (`SQLiteStore+Schema.swift`): a schema change is
    /// a new entry, never an edit. `v1` is the layout SQLite's nine migrations reach.
    ///
    /// Every text a store orders by (source systems and ids) is `COLLATE "C"`: byte order, as
    /// SQLite's BINARY, so that exports list rows in the same order whatever the database's locale.
    /// Times are ISO 8601 text as the SQLite store keeps them: exports print them unchanged.
    static let migrations: [(identifier: String, sql: String)] = [
        (
            "v1",
            """
            CREATE TABLE batches (
                id bigserial PRIMARY KEY,
                batch_id text NOT NULL UNIQUE,
                pipeline text NOT NULL,
                started_at text NOT NULL,
                finished_at text NOT NULL,
                as_of text NOT NULL,
                summary text NOT NULL
            );
            CREATE TABLE batch_files (
                batch bigint NOT NULL REFERENCES batches(id),
                source_system text COLLATE "C" NOT NULL,
                path text COLLATE "C" NOT NULL,
                sha256 text NOT NULL,
                bytes bigint NOT NULL,
                records bigint NOT NULL,
                PRIMARY KEY (batch, source_system, path)
            );
            CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
            -- customer_key is the raw 32-byte HMAC, as in SQLite.
            CREATE TABLE customers (
                customer_key bytea PRIMARY KEY,
                phone_e164 text NOT NULL,
                tax_id text NOT NULL,
                name text,
                name_pinyin text,
                company text,
                province text,
                city text,
                district text,
                adcode text,
                address_detail text,
                industry text,
                owner text,
                sales_group text,
                first_touch_channel text,
                status text,
                last_contact_at text,
                next_followup_plan text,
                next_followup_at text,
                landline_e164 text,
                created_at text,
                notes text,
                updated_at text,
                provenance bytea NOT NULL,
                created_batch bigint NOT NULL,
                changed_batch bigint NOT NULL,
                created_system text NOT NULL,
                created_source_id text NOT NULL,
                systems text NOT NULL DEFAULT ''
            );
            CREATE INDEX customers_phone ON customers(phone_e164);
            CREATE INDEX customers_tax_id ON customers(tax_id);
            CREATE TABLE xref (
                source_system text COLLATE "C" NOT NULL,
                source_id text COLLATE "C" NOT NULL,
                customer_key bytea,
                state text NOT NULL CHECK (state IN ('merged', 'pending')),
                link text NOT NULL,
                batch bigint NOT NULL,
                digest bigint NOT NULL,
                updated_at text,
                record text NOT NULL,
                raw_digest bigint,
                PRIMARY KEY (source_system, source_id)
            );
            CREATE INDEX xref_pending ON xref(source_system, source_id) WHERE state = 'pending';
            CREATE TABLE landlines (
                landline_e164 text COLLATE "C" NOT NULL,
                customer_key bytea NOT NULL,
                PRIMARY KEY (landline_e164, customer_key)
            );
            CREATE TABLE change_log (
                id bigserial PRIMARY KEY,
                batch bigint NOT NULL,
                customer_key bytea NOT NULL,
                field text NOT NULL,
                old_value text,
                new_value text,
                source_system text NOT NULL,
                source_id text NOT NULL,
                changed_at text NOT NULL
            );
            CREATE INDEX change_log_customer ON change_log(customer_key);
            CREATE TABLE rejects (
                id bigserial PRIMARY KEY,
                batch bigint NOT NULL,
                source_system text NOT NULL,
                source_file text NOT NULL,
                locator text NOT NULL,
                reason_code text NOT NULL,
                reason text NOT NULL,
                source_id text NOT NULL,
                owner text NOT NULL DEFAULT ''
            );
            CREATE INDEX rejects_batch ON rejects(batch);
            CREATE TABLE interactions (
                source_system text COLLATE "C" NOT NULL,
                source_id text COLLATE "C" NOT NULL,
                batch bigint NOT NULL,
                channel text NOT NULL,
                started_at text,
                phone_e164 text,
                agent text,
                duration_s bigint,
                outcome text,
                called text,
                PRIMARY KEY (source_system, source_id)
            );
            CREATE TABLE scans (
                id bigserial PRIMARY KEY,
                kind text NOT NULL,
                scanned_at text NOT NULL,
                items bigint NOT NULL,
                previous_listed bigint,
                closed bigint,
                closed_within_48h bigint
            );
            CREATE TABLE scan_items (
                scan bigint NOT NULL,
                customer_key bytea NOT NULL,
                missing text NOT NULL,
                PRIMARY KEY (scan, customer_key)
            );
            CREATE TABLE metrics (
                batch bigint NOT NULL REFERENCES batches(id),
                metric text COLLATE "C" NOT NULL,
                system text COLLATE "C" NOT NULL DEFAULT '',
                field text COLLATE "C" NOT NULL DEFAULT '',
                value double precision NOT NULL,
                numerator bigint,
                denominator bigint,
                PRIMARY KEY (batch, metric, system, field)
            );
            CREATE TABLE presence_groups (
                owner text COLLATE "C" NOT NULL,
                systems text COLLATE "C" NOT NULL,
                mask bigint NOT NULL,
                customers bigint NOT NULL,
                PRIMARY KEY (owner, systems, mask)
            );
            """
        )
    ]
}
