-- after v1
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
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

-- after v2-interactions
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
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

-- after v3-scans
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
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
CREATE TABLE scan_items (
    scan INTEGER NOT NULL,
    customer_key BLOB NOT NULL,
    missing TEXT NOT NULL,
    PRIMARY KEY (scan, customer_key)
) WITHOUT ROWID;
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    items INTEGER NOT NULL
);
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

-- after v4-reject-owner
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    source_file TEXT NOT NULL,
    locator TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    source_id TEXT NOT NULL
, owner TEXT NOT NULL DEFAULT '');
CREATE TABLE scan_items (
    scan INTEGER NOT NULL,
    customer_key BLOB NOT NULL,
    missing TEXT NOT NULL,
    PRIMARY KEY (scan, customer_key)
) WITHOUT ROWID;
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    items INTEGER NOT NULL
);
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

-- after v5-metrics
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
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
CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    source_file TEXT NOT NULL,
    locator TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    source_id TEXT NOT NULL
, owner TEXT NOT NULL DEFAULT '');
CREATE TABLE scan_items (
    scan INTEGER NOT NULL,
    customer_key BLOB NOT NULL,
    missing TEXT NOT NULL,
    PRIMARY KEY (scan, customer_key)
) WITHOUT ROWID;
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    items INTEGER NOT NULL
);
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

-- after v6-scan-follow-up
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
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
CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    source_file TEXT NOT NULL,
    locator TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    source_id TEXT NOT NULL
, owner TEXT NOT NULL DEFAULT '');
CREATE TABLE scan_items (
    scan INTEGER NOT NULL,
    customer_key BLOB NOT NULL,
    missing TEXT NOT NULL,
    PRIMARY KEY (scan, customer_key)
) WITHOUT ROWID;
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    items INTEGER NOT NULL
, previous_listed INTEGER, closed INTEGER, closed_within_48h INTEGER);
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

-- after v7-customer-systems
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
, systems TEXT NOT NULL DEFAULT '');
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
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
CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    source_file TEXT NOT NULL,
    locator TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    source_id TEXT NOT NULL
, owner TEXT NOT NULL DEFAULT '');
CREATE TABLE scan_items (
    scan INTEGER NOT NULL,
    customer_key BLOB NOT NULL,
    missing TEXT NOT NULL,
    PRIMARY KEY (scan, customer_key)
) WITHOUT ROWID;
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    items INTEGER NOT NULL
, previous_listed INTEGER, closed INTEGER, closed_within_48h INTEGER);
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

-- after v8-xref-raw-digest
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
, systems TEXT NOT NULL DEFAULT '');
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
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
CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    source_file TEXT NOT NULL,
    locator TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    source_id TEXT NOT NULL
, owner TEXT NOT NULL DEFAULT '');
CREATE TABLE scan_items (
    scan INTEGER NOT NULL,
    customer_key BLOB NOT NULL,
    missing TEXT NOT NULL,
    PRIMARY KEY (scan, customer_key)
) WITHOUT ROWID;
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    items INTEGER NOT NULL
, previous_listed INTEGER, closed INTEGER, closed_within_48h INTEGER);
CREATE TABLE xref (
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL,
    customer_key BLOB,
    state TEXT NOT NULL CHECK (state IN ('merged', 'pending')),
    link TEXT NOT NULL,
    batch INTEGER NOT NULL,
    digest INTEGER NOT NULL,
    updated_at TEXT,
    record TEXT NOT NULL, raw_digest INTEGER,
    PRIMARY KEY (source_system, source_id)
) WITHOUT ROWID;

-- after v9-presence-groups
CREATE INDEX batch_files_checksum ON batch_files(source_system, sha256);
CREATE INDEX change_log_customer ON change_log(customer_key);
CREATE INDEX customers_phone ON customers(phone_e164);
CREATE INDEX customers_tax_id ON customers(tax_id);
CREATE INDEX rejects_batch ON rejects(batch);
CREATE INDEX xref_pending ON xref(state) WHERE state = 'pending';
CREATE TABLE batch_files (
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (batch, source_system, path)
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    summary TEXT NOT NULL
);
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
, systems TEXT NOT NULL DEFAULT '');
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
CREATE TABLE landlines (
    landline_e164 TEXT NOT NULL,
    customer_key BLOB NOT NULL,
    PRIMARY KEY (landline_e164, customer_key)
) WITHOUT ROWID;
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
CREATE TABLE presence_groups (
    owner TEXT NOT NULL,
    systems TEXT NOT NULL,
    mask INTEGER NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (owner, systems, mask)
) WITHOUT ROWID;
CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    source_file TEXT NOT NULL,
    locator TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    source_id TEXT NOT NULL
, owner TEXT NOT NULL DEFAULT '');
CREATE TABLE scan_items (
    scan INTEGER NOT NULL,
    customer_key BLOB NOT NULL,
    missing TEXT NOT NULL,
    PRIMARY KEY (scan, customer_key)
) WITHOUT ROWID;
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    items INTEGER NOT NULL
, previous_listed INTEGER, closed INTEGER, closed_within_48h INTEGER);
CREATE TABLE xref (
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL,
    customer_key BLOB,
    state TEXT NOT NULL CHECK (state IN ('merged', 'pending')),
    link TEXT NOT NULL,
    batch INTEGER NOT NULL,
    digest INTEGER NOT NULL,
    updated_at TEXT,
    record TEXT NOT NULL, raw_digest INTEGER,
    PRIMARY KEY (source_system, source_id)
) WITHOUT ROWID;

