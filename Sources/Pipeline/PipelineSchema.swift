import Extract
import Health
import Load
import Transform

/// The pipeline file's schema, declared once: it drives `crmbridge check` (validation with
/// line and column), the defaults the loader applies, and `docs/pipeline-format.md`.
package indirect enum ValueType: Sendable {
    case string
    case integer
    /// A whole number no smaller than this.
    case integerAtLeast(Int)
    /// A positive number of bytes: `4194304`, `4 MiB`, `512 KiB`.
    case byteSize
    case number
    case boolean
    case oneOf([String])
    case list(ValueType)
    /// A mapping with the listed keys.
    case object([KeySpec])
    /// A mapping from keys of one vocabulary (nil: any key) to values of one type.
    case dictionary(keys: [String]?, value: ValueType)
    /// A value of several forms that its reader checks itself (a test input: a path or inline
    /// rows); the text is its summary in the docs.
    case forms(String)

    var summary: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .integerAtLeast(let minimum): "integer ≥ \(minimum)"
        case .byteSize: "size (`4 MiB`, `512 KiB`, bytes)"
        case .number: "number"
        case .boolean: "boolean"
        case .oneOf(let values): values.map { "`\($0)`" }.joined(separator: " \\| ")
        case .list(let element): "list of \(element.summary)"
        case .object: "mapping"
        case .dictionary(let keys, let value): keys == nil ? "mapping of \(value.summary)" : "mapping: field → \(value.summary)"
        case .forms(let summary): summary
        }
    }
}

package struct KeySpec: Sendable {
    package var name: String
    package var type: ValueType
    package var required: Bool
    package var defaultValue: String?
    package var doc: String
    package var example: String?

    package init(
        _ name: String, _ type: ValueType, required: Bool = false, default defaultValue: String? = nil,
        _ doc: String, example: String? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.doc = doc
        self.example = example
    }
}

package enum PipelineSchema {
    static let encodings = ["auto"] + TextEncoding.allCasesNames
    static let fieldNames = CanonicalField.allCases.map(\.rawValue)
    /// The fields a survivorship rule may be set for: every surviving field but the two whose
    /// choice is fixed.
    static let ruleFieldNames = SurvivingField.all.filter { $0 != .lastContactAt && $0 != .createdAt }.map(\.rawValue)
    /// The fields an interactions source may map: the caller and the contact's details.
    static let contactFieldNames = ["phone", "landline"] + ContactField.allCases.map(\.rawValue)
    static let condition = ValueType.object([
        KeySpec("column", .string, required: true, "The column (or path) tested.", example: "MsgType"),
        KeySpec("equals", .string, "The trimmed value must be this.", example: "text"),
        KeySpec("not_equals", .string, "The trimmed value must not be this."),
        KeySpec("in", .list(.string), "The trimmed value must be one of these."),
        KeySpec("not_in", .list(.string), "The trimmed value must be none of these."),
        KeySpec("matches", .string, "The value must match this regular expression (ICU syntax).", example: "手机|电话"),
        KeySpec("not_matches", .string, "The value must not match this regular expression."),
    ])
    static let threshold = ValueType.object([
        KeySpec("warn", .number, "Below this (above, for sync_lag_24h) the run reports a warning."),
        KeySpec("fail", .number, "Below this (above, for sync_lag_24h) the run fails with exit code 3 and alerts."),
    ])

    static let anomalies = ValueType.object([
        KeySpec(
            "batches", .integerAtLeast(3), default: "14",
            "The baseline: this many batches before the judged one (holidays left out); per metric its median and median absolute deviation (MAD)."
        ),
        KeySpec(
            "min_batches", .integerAtLeast(3), default: "7",
            "With fewer baseline batches a metric is learning (`learning, 3 of 7 batches`), never judged."),
        KeySpec(
            "sensitivity", .number, default: "3.5",
            "How many robust standard deviations (1.4826 × MAD) from the median alert: higher alerts less."),
        KeySpec(
            "floor", .number, default: "0.02",
            "Ratios (completeness, id_match, sync_lag_24h): a change from the median smaller than this never alerts."),
        KeySpec(
            "relative_floor", .number, default: "0.25",
            "Counts (rejects per reason, rows read per source): a change smaller than this share of the median, or than 5 rows, never alerts."
        ),
        KeySpec(
            "calendar", .string,
            "A holiday calendar file (YAML: `holidays:` and `workdays:`, days or `FROM..TO` ranges), relative to the pipeline file: batches whose `as_of` falls on a listed day are neither judged nor part of a baseline.",
            example: "holidays-cn.yml"),
        KeySpec(
            "fail", .list(.string),
            "Metrics whose anomaly fails the run and `crmbridge health` with exit code 3: a name (`id_match`, `rows_read.crm`) or a family (`rows_read`, `rejects`). Others only report and alert (`on: [anomaly]`).",
            example: "[id_match, rows_read]"),
    ])

    package static let alert = ValueType.object([
        KeySpec(
            "type", .oneOf(AlertSinkKind.allCases.map(\.rawValue)), required: true,
            "`dingtalk` (custom robot, markdown), `wecom` (group robot, markdown) or `webhook` (the run summary as a JSON POST)."),
        KeySpec(
            "url", .string, required: true,
            "Webhook URL. It holds the robot's token: take it from the environment; it is never printed (messages mask it).",
            example: "${DINGTALK_WEBHOOK}"),
        KeySpec(
            "secret", .string,
            "dingtalk only: the robot's signing secret (security setting 加签); requests then carry `timestamp` and `sign`.",
            example: "${DINGTALK_SECRET}"),
        KeySpec("token", .string, "webhook only: sent as `Authorization: Bearer TOKEN`.", example: "${ALERT_WEBHOOK_TOKEN}"),
        KeySpec(
            "on", .list(.oneOf([HealthStatus.warn.rawValue, HealthStatus.fail.rawValue, "anomaly"])), default: "fail",
            "The statuses that send this alert; `anomaly`: a metric left its baseline's band (`health.anomalies`)."),
        KeySpec("timeout", .number, default: "5", "Seconds to wait for each attempt."),
        KeySpec(
            "retries", .integer, default: "2",
            "Attempts after a failed first one (timeouts, refused connections, HTTP 429 and 5xx)."),
        KeySpec("backoff", .number, default: "1", "Seconds before the first retry; each further retry waits twice as long."),
    ])

    package static let source = ValueType.object([
        KeySpec(
            "system", .string, required: true, "Name of the source system, as it appears in the cross-reference.",
            example: "crm"),
        KeySpec(
            "kind", .oneOf(["customers", "interactions"]), default: "customers",
            "What the rows are: customer records, or contacts (calls). A contact links to its customer by the caller's mobile, or by a landline seen on a merged customer, moves the customer's `last_contact_at` forward, never forms a key, and waits as pending while no customer holds its number. Interactions map `phone` (the caller), `started_at`, `channel`, `agent`, `duration_s`, `outcome`, `called`."
        ),
        KeySpec(
            "contact_channel", .string,
            "customers: every record is also a contact through this channel (a form submission is a contact): stored as an interaction at its `updated_at`, moving `last_contact_at` forward. interactions: the channel of contacts that map no `channel` (default: the system).",
            example: "web_form"),
        KeySpec(
            "path", .string, required: true,
            "File or glob (`*`, `?`, `[…]`), relative to the pipeline file. Matches are read in name order.",
            example: "../exports/crm_*.csv"),
        KeySpec(
            "format", .oneOf(SourceConfig.Format.allCases.map(\.rawValue)), default: "csv",
            "File format: csv, xlsx (one worksheet of an Excel workbook, see `sheet`), jsonl (JSON Lines), json (an array of objects) or xml: a file of pushed messages, one record per `<xml>` element. For JSON the mapped columns are paths: dotted keys, array indexes and array elements chosen by a key's value, whatever their order (`answers.mobile`, `data[0].value`, `answers[label=手机|电话].value`: the first element whose label is one of those and whose value is not empty; labels compared without blanks and a trailing colon); for XML, child element paths (`Content`, `a/b`). A column `PATH#LABEL|LABEL…` reads form answers out of the text at PATH: the first non-empty answer whose label is one of those (`Content#手机|电话`). Answers are `label：value` (or `:` `=` `＝`), one per line or several on a line separated by `；` `;` `|` `，` or tabs, or by blanks before a short label (`手机：138 0013 8000 公司：某某`; `14:33` and `http://` stay inside a value); lines without a label and `【…】` titles are skipped."
        ),
        KeySpec(
            "encoding", .oneOf(encodings), default: "auto",
            "Text encoding; `auto` reads a byte order mark, else takes valid UTF-8 as UTF-8 and anything else as GB18030."),
        KeySpec(
            "delimiter", .oneOf(["auto", ",", ";", "\\t", "tab"]), default: "auto",
            "Field delimiter (csv only); `auto` picks the most frequent of `,` `;` and tab in the first lines."),
        KeySpec(
            "record_element", .string, default: "xml",
            "xml only: the element that holds one record."),
        KeySpec(
            "sheet", .string,
            "xlsx only: the worksheet to read, by name (`客户 Customers`) or by 1-based position in tab order (`2`); without it, the first worksheet. Locators of its rows are `SHEET!ROW`. Numbers come out as Excel shows integers (a mobile stored as a number is its 11 digits), cells in a date format as ISO 8601 local time (`2026-01-05 08:30:00`), error cells (`#N/A`) as empty.",
            example: "客户 Customers"),
        KeySpec(
            "header_row", .integerAtLeast(1), default: "1",
            "The record that holds the column names; records before it are skipped (csv and xlsx; for xlsx the sheet's row number)."
        ),
        KeySpec("id", .string, required: true, "Column holding the source's own id of the record.", example: "客户编号"),
        KeySpec(
            "updated_at", .string, "Column holding the source's last-update time (survivorship, sync lag).",
            example: "更新时间"),
        KeySpec(
            "date_order", .oneOf(DateOrder.allCases.map(\.rawValue)),
            "How this source writes dates that do not start with the year: `dmy` (`21/11/2026`, `21.11.2026`) or `mdy` (`11/21/2026`). Without it such dates are refused as `ambiguous` and left empty, even one that can be read one way only (`21/11/2026`): which number is the day is the export's setting, never guessed from a value. Dates that start with the year (`2026-11-21`, `20261121 14:33`, `2026年11月21日 下午2:33`) are read either way.",
            example: "dmy"),
        KeySpec(
            "legacy_tax_id_forms_key", .boolean, default: "false",
            "Whether an old 15-digit tax registration number may stand in for the USCC in the customer key."),
        KeySpec(
            "area_code_resolves_address", .boolean, default: "true",
            "Whether a landline's area code may settle an address whose district name exists in several cities (鼓楼区 + 0591 → 福州)."
        ),
        KeySpec(
            "fields", .dictionary(keys: fieldNames + ContactField.allCases.map(\.rawValue), value: .string),
            required: true, "Canonical field → source column (interactions: contact field → column).",
            example: "name: 联系人"),
        KeySpec(
            "where", .list(condition),
            "Keep only the rows for which every condition holds; the others are rejected with reason `filtered` (a subscribe event among form pushes).",
            example: "- {column: MsgType, equals: text}"),
        KeySpec(
            "skip_rows_matching", .list(.string),
            "Regular expressions: a row with a cell that matches one is rejected with reason `skipped` (totals, footers, banners).",
            example: "[\"^(合计|总计)\"]"),
        KeySpec(
            "dedupe_by", .list(.string),
            "Columns whose values identify a record: a row repeating an earlier row's values in this batch is rejected as `duplicate` (retried pushes with a new timestamp).",
            example: "[MsgId]"),
        KeySpec(
            "limits", RunLimits.schema, "This source's own limits, over the pipeline's `limits:`.",
            example: "{xlsx_rows: 2000000}"),
    ])

    package static let root: [KeySpec] = [
        KeySpec("pipeline", .string, required: true, "Name of the pipeline, recorded on every batch.", example: "nightly"),
        KeySpec(
            "store", .string, default: "sqlite:<pipeline>.sqlite",
            "Master store URL: `sqlite:PATH` (relative to the pipeline file). `--store` overrides it."),
        KeySpec(
            "timezone", .string, default: TimestampParser.defaultTimeZone.identifier,
            "Time zone for source timestamps that carry no offset, and for the store's timestamps."),
        KeySpec(
            "locale", .oneOf(Language.allCases.map(\.rawValue)), default: Language.default.rawValue,
            "Language of what people read: the health text and dashboard, the scan lists, robot messages, the run summary (`--lang` overrides it). JSON, Prometheus metrics, exports, exit codes and reason codes are the same in every language."
        ),
        KeySpec(
            "key",
            .object([
                KeySpec(
                    "secret", .string,
                    "Secret of the customer key HMAC. Take it from the environment: `${CRMBRIDGE_KEY_SECRET}`.",
                    example: "${CRMBRIDGE_KEY_SECRET}"),
                KeySpec(
                    "demo", .boolean, default: "false",
                    "Allow the published demo secret when `secret` is empty. Never for real data: keys are then reversible."),
            ]), required: true, "The customer key: HMAC-SHA256 over E.164 phone + `|` + tax ID."),
        KeySpec("sources", .list(source), required: true, "The files to read, one entry per source."),
        KeySpec(
            "survivorship",
            .object([
                KeySpec(
                    "rule", .dictionary(keys: ruleFieldNames, value: .oneOf(SurvivorshipRule.allCases.map(\.rawValue))),
                    """
                    Per field, how the master value is chosen: `latest` (the newest by `updated_at`), `priority` \
                    (the source ranked first in `priority`), `longest` (the most characters; an address's \
                    divisions and detail together), `most_complete` (an address resolved to more levels, then \
                    the longer detail; a company's legal name over any other; else the most non-blank \
                    characters). Equal values by the rule: the newest wins. Default: `priority` for a field \
                    with a `priority` list, else `latest`; `company` without a rule keeps a legal name \
                    (`…有限公司`) over a later shorter form of it (`合力医疗`). `last_contact_at` only moves \
                    forward and `created_at` keeps the earliest: they take no rule.
                    """,
                    example: "company: most_complete"),
                KeySpec(
                    "priority", .dictionary(keys: fieldNames, value: .list(.string)),
                    "Per field, source systems in order of preference (instead of the latest value).",
                    example: "owner: [crm, erp]"),
            ]), "Which source value a master field keeps. Default: the latest non-empty value by `updated_at`."),
        KeySpec(
            "health",
            .object([
                KeySpec(
                    "required", .list(.oneOf(fieldNames)),
                    default: CanonicalField.coreRequired.map(\.rawValue).joined(separator: ", "),
                    "The fields a complete customer must have."),
                KeySpec(
                    "thresholds",
                    .object(MetricName.allCases.map { KeySpec($0.rawValue, threshold, "Limits for \($0.rawValue).") }),
                    "Warn and fail limits per metric."),
                KeySpec(
                    "anomalies", anomalies, "Anomalies in the metric history: a metric that left the band of its recent batches."),
            ]), "Data-health metrics and their thresholds."),
        KeySpec(
            "alerts", .list(alert),
            """
            Where to send an alert when a metric breaches its threshold. Alerts go out after the batch \
            is committed: one that cannot be delivered is reported in the summary and on stderr and never \
            changes the batch or the exit status.
            """),
        KeySpec(
            "people", .dictionary(keys: nil, value: .string),
            "Owner name (as the `owner` field holds it) → mobile, so that `crmbridge scan gaps --notify` @-mentions the owner in DingTalk (`atMobiles`) and WeCom (`mentioned_mobile_list`). Take the numbers from the environment or from `people_file`; they are never printed.",
            example: "李娜: ${MOBILE_LINA}"),
        KeySpec(
            "people_file", .string,
            "A CSV file (relative to the pipeline file) of `owner,mobile` lines, a header line allowed, read as `people` (entries of `people` win). Keep it out of version control.",
            example: "people.csv"),
        KeySpec(
            "scan",
            .object([
                KeySpec(
                    "active_statuses", .list(.string),
                    "Statuses of customers sales are working on; the scans look only at them (default: every customer).",
                    example: "[潜在客户, 跟进中]"),
                KeySpec(
                    "gap_fields", .list(.oneOf(fieldNames)), default: "last_contact_at, next_followup_plan",
                    "The fields `crmbridge scan gaps` lists customers without."),
                KeySpec(
                    "sales_vp", .string,
                    "Who leads the closing of the gaps: the summary message of `crmbridge scan gaps --notify` @-mentions them (a name in `people`).",
                    example: "王总"),
                KeySpec(
                    "record_url", .string,
                    "The address of a customer's record in one system, `{SYSTEM_id}` standing for that system's own number: the gap workbook shows it as a link on that number.",
                    example: "https://crm.example.com/customers/{crm_id}"),
            ]), "Settings of `crmbridge scan`."),
        KeySpec(
            "limits", RunLimits.schema,
            "Guards against broken or hostile files: each ends in a reject or a failed file with a message naming the limit, and the batch's other files load (README, Limits). Raise one for a genuine file past it."
        ),
    ]
}

extension TextEncoding {
    static var allCasesNames: [String] { allCases.map(\.rawValue) + ["gb2312", "cp936", "utf-16"] }
}
