/// The test file's schema (`crmbridge test`), declared like the pipeline file's: it drives the
/// validation (unknown keys with line and column) and its section of `docs/pipeline-format.md`.
package enum PipelineTestSchema {
    static let row = "mapping: column → value"
    static let rows = ValueType.forms("list of \(row)")

    static let expect: [KeySpec] = [
        KeySpec(
            "counts", .forms("mapping: count → integer, or system → mapping"),
            "The run's accounting, exact: `read`, `merged`, `created`, `updated`, `unchanged`, `pending`, `rejected`, `earlier_pending_linked`; under a system's name, that system's.",
            example: "{read: 3, merged: 3, pending: 0, rejected: 0, crm: {read: 2}}"),
        KeySpec(
            "master", .forms("list of \(row), or `{only: true, rows: [...]}`"),
            "Master customers, each a subset of the export's columns (`phone` and `landline` stand for `phone_e164` and `landline_e164`): every row listed must be there; with `only: true` there must be no other. A value ending in `…` matches any value that starts with the rest.",
            example: "- {phone: \"+8613800138000\", name: 张伟, last_contact_at: \"2026-11-21T…\"}"),
        KeySpec(
            "pending", rows,
            "Every record left pending, exactly: `system`, `source_id`.", example: "- {system: leads, source_id: L007}"),
        KeySpec(
            "rejects", rows,
            "Every rejected record, exactly: `system`, `file` (its name), `locator`, `reason` (the reason code), `message`, `source_id`; list the columns that matter.",
            example: "- {system: crm, locator: line 7, reason: no_identifier}"),
        KeySpec(
            "metrics", .dictionary(keys: nil, value: .forms("number, or `VALUE ±TOLERANCE`")),
            "Metrics of the run: `completeness`, `completeness_cells`, `id_match`, `sync_lag_24h`, `rows_without_updated_at`, per system `id_match.SYSTEM`, `sync_lag_24h.SYSTEM`, `completeness.SYSTEM`, per field `completeness.FIELD`. A plain number matches the value rounded to its decimals (at least 4); `0.62 ±0.01` gives the tolerance.",
            example: "{id_match: 1.0, completeness: 0.62 ±0.01}"),
        KeySpec(
            "gaps", rows,
            "Every customer `crmbridge scan gaps` would list, exactly: `customer_key`, `name`, `owner`, `sales_group`, `status`, `missing` (a list).",
            example: "- {name: 张伟, missing: [next_followup_plan]}"),
        KeySpec(
            "stale",
            .object([
                KeySpec("days", .integerAtLeast(1), required: true, "Days without contact, as `crmbridge scan stale --days`."),
                KeySpec(
                    "customers", rows, required: true,
                    "Every customer listed, exactly: `customer_key`, `name`, `owner`, `sales_group`, `status`, `last_contact_at`, `days_since`."
                ),
            ]), "The customers `crmbridge scan stale` would list, as of the test's `as_of`."),
        KeySpec(
            "alerts", rows,
            "Every alert the run would send (captured, never sent), exactly: `sink` (`dingtalk`, `wecom`, `webhook`), `status`, `text` (the robots' markdown).",
            example: "- {sink: wecom, status: fail}"),
    ]

    static let test: [KeySpec] = [
        KeySpec("name", .string, required: true, "What the test shows; printed with its result."),
        KeySpec("as_of", .string, "This test's load time, instead of the file's."),
        KeySpec(
            "inputs", .dictionary(keys: nil, value: .forms("path, or `{rows: [...]}`")), required: true,
            "Per source system of the pipeline, what it reads instead of its `path`: a file (relative to the test file), or `{rows: [...]}`, rows written to a file in the source's format (csv, xlsx, jsonl, json, xml). Sources not listed read nothing.",
            example: "crm: fixtures/tests/crm_two_rows.csv"),
        KeySpec(
            "expect", .object(expect), required: true,
            "What the run must produce; only what is listed is checked (`{}` checks nothing: `--update` fills it in)."),
    ]

    package static let root: [KeySpec] = [
        KeySpec(
            "pipeline", .string, required: true, "The pipeline file under test, relative to the test file.",
            example: "nightly.yml"),
        KeySpec(
            "as_of", .string, required: true, "The load time of every test's batch (ISO 8601): the fixed clock.",
            example: "2026-11-22T03:00:00+08:00"),
        KeySpec("tests", .list(.object(test)), required: true, "The tests; each runs in a store of its own."),
    ]
}
