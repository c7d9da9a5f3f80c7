import Extract
import Foundation
import Health
import Load
import Transform
import Yams

/// Builds the config from a tree the validator passed, taking defaults from the schema.
struct Builder {
    let file: String
    let root: Node
    var validator: Validator

    init(file: String, root: Node, validator: Validator) {
        self.file = file
        self.root = root
        self.validator = validator
    }

    mutating func build() throws(ConfigError) -> PipelineConfig {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let name = string(root["pipeline"], default: nil) ?? ""
        let storeNode = root["store"]
        let storeURL = string(storeNode, default: nil) ?? "sqlite:\(name).sqlite"
        var store = StoreLocation.sqlite(path: "")
        do {
            store = try StoreLocation.parse(storeURL, relativeTo: directory)
        } catch {
            validator.issue(storeNode ?? root, error.message)
        }
        let zoneNode = root["timezone"]
        let zoneName = string(zoneNode, default: defaultValue(in: PipelineSchema.root, "timezone"))!
        let timeZone = TimeZone(identifier: zoneName)
        if timeZone == nil {
            validator.issue(zoneNode, "unknown time zone '\(zoneName)': use an IANA name such as Asia/Shanghai")
        }

        let keyNode = root["key"]
        let secretNode = keyNode?["secret"]
        let resolvedSecret = string(secretNode, default: nil)
        var secret = resolvedSecret ?? ""
        // An unset ${VAR} was reported already; "empty" would say the same thing twice.
        if secret.isEmpty && (resolvedSecret != nil || secretNode == nil) {
            if bool(keyNode?["demo"]) {
                secret = PipelineConfig.demoSecret
            } else {
                validator.issue(
                    keyNode?["secret"] ?? keyNode,
                    """
                    key.secret is empty: set it from the environment (secret: ${CRMBRIDGE_KEY_SECRET}); \
                    for fixtures only, key.demo: true uses the published demo secret
                    """)
            }
        }

        let limits = limits(root["limits"], over: RunLimits())
        let sources = (root["sources"]?.sequence ?? []).map { source(from: $0, limits: limits) }
        var priority: [CanonicalField: [String]] = [:]
        for (key, value) in root["survivorship"]?["priority"]?.mapping ?? [:] {
            if let field = key.string.flatMap(CanonicalField.init(rawValue:)) {
                priority[field] = value.sequence?.compactMap { validator.text($0) } ?? []
            }
        }
        var rules: [CanonicalField: SurvivorshipRule] = [:]
        for (key, value) in root["survivorship"]?["rule"]?.mapping ?? [:] {
            guard let field = key.string.flatMap(CanonicalField.init(rawValue:)),
                let rule = value.string.flatMap(SurvivorshipRule.init(rawValue:))
            else { continue }
            rules[field] = rule
            if rule == .priority && priority[field] == nil {
                validator.issue(
                    value,
                    "survivorship.rule.\(field.rawValue) is priority: list its sources in survivorship.priority.\(field.rawValue)"
                )
            } else if rule != .priority && priority[field] != nil {
                validator.issue(
                    value,
                    "survivorship.rule.\(field.rawValue) is \(rule.rawValue): its survivorship.priority list would be ignored (remove one of them)"
                )
            }
        }
        let health = root["health"]
        let required =
            health?["required"]?.sequence?.compactMap { $0.string.flatMap(CanonicalField.init(rawValue:)) }
            ?? CanonicalField.coreRequired
        var thresholds: [MetricName: Threshold] = [:]
        for metric in MetricName.allCases {
            guard let node = health?["thresholds"]?[metric.rawValue] else { continue }
            thresholds[metric] = Threshold(warn: number(node["warn"]), fail: number(node["fail"]))
        }
        let anomalies = anomalyOptions(health?["anomalies"], directory: directory, timeZone: timeZone)
        let scan = root["scan"]
        let activeStatuses = scan?["active_statuses"]?.sequence?.compactMap { validator.text($0) } ?? []
        let gapFields = scan?["gap_fields"]?.sequence?.compactMap { $0.string.flatMap(CanonicalField.init(rawValue:)) }
        let alerts = (root["alerts"]?.sequence ?? []).compactMap { alert(from: $0) }
        let language = string(root["locale"], default: nil).flatMap(Language.init(rawValue:))
        let people = people(directory: directory)
        var salesVP: String?
        if let node = scan?["sales_vp"], let name = string(node, default: nil) {
            salesVP = name
            if people[name] == nil {
                validator.issue(node, "scan.sales_vp is \(name), who has no mobile in people: add them there")
            }
        }
        var recordURL: RecordURL?
        if let node = scan?["record_url"], let template = string(node, default: nil) {
            recordURL = RecordURL(template)
            if recordURL == nil || !(template.hasPrefix("https://") || template.hasPrefix("http://")) {
                validator.issue(
                    node,
                    "scan.record_url must be an http(s) address with {SYSTEM_id} where the number goes, e.g. https://crm.example.com/customers/{crm_id}"
                )
            } else if let system = recordURL?.system, !sources.contains(where: { $0.system == system }) {
                validator.issue(node, "scan.record_url names {\(system)_id}, but no source has system: \(system)")
            }
        }
        guard validator.issues.isEmpty else { throw ConfigError(validator.redacted(Self.unique(validator.issues))) }
        var config = PipelineConfig(
            name: name, file: file, directory: directory, store: store, timeZone: timeZone!,
            secret: Array(secret.utf8), sources: sources, survivorship: Survivorship(priority: priority, rules: rules),
            required: required, thresholds: thresholds, alerts: alerts)
        config.activeStatuses = activeStatuses
        config.anomalies = anomalies
        if let gapFields { config.gapFields = gapFields }
        if let language { config.language = language }
        config.recordURL = recordURL
        config.people = people
        config.salesVP = salesVP
        return config
    }

    private mutating func source(from node: Node, limits: RunLimits) -> SourceConfig {
        let spec: [KeySpec] = if case .object(let keys) = PipelineSchema.source { keys } else { [] }
        func value(_ key: String) -> String? { string(node[key], default: defaultValue(in: spec, key)) }
        let encodingName = value("encoding") ?? "auto"
        let delimiterName = value("delimiter") ?? "auto"
        let kind = SourceConfig.Kind(rawValue: value("kind") ?? "customers") ?? .customers
        var fields: [(field: CanonicalField, column: String)] = []
        var contactFields: [(field: ContactField, column: String)] = []
        var fieldLocations: [String: SourceConfig.Location] = [:]
        for (key, column) in node["fields"]?.mapping ?? [:] {
            guard let name = key.string, let text = validator.text(column) else { continue }
            if kind == .interactions && !PipelineSchema.contactFieldNames.contains(name) {
                validator.issue(
                    key,
                    """
                    '\(name)' is a customer field; an interactions source maps \
                    \(PipelineSchema.contactFieldNames.joined(separator: ", "))
                    """)
            } else if kind == .customers, let field = ContactField(rawValue: name) {
                validator.issue(
                    key,
                    """
                    '\(field.rawValue)' is a field of contacts: set kind: interactions, or contact_channel to record \
                    each row as a contact at its updated_at
                    """)
            }
            if let field = CanonicalField(rawValue: name) { fields.append((field, text)) }
            if let field = ContactField(rawValue: name) { contactFields.append((field, text)) }
            fieldLocations["fields.\(name)"] = location(column)
        }
        for key in ["id", "updated_at", "path"] {
            if let item = node[key] { fieldLocations[key] = location(item) }
        }
        let limits = self.limits(node["limits"], over: limits)
        var rules = rowRules(from: node, locations: &fieldLocations)
        rules.regexStepLimit = limits.regexSteps
        if let system = value("system"), system.utf8.contains(UInt8(ascii: ",")) {
            validator.issue(
                node["system"],
                "'\(system)': a source system's name cannot hold a comma (the store lists a customer's systems separated by commas)"
            )
        }
        return SourceConfig(
            system: value("system") ?? "",
            kind: kind,
            path: value("path") ?? "",
            // The schema refused any other name before the builder runs.
            format: value("format").flatMap(SourceConfig.Format.init(rawValue:)) ?? .csv,
            encoding: encodingName == "auto" ? nil : TextEncoding(name: encodingName),
            delimiter: Self.delimiter(delimiterName),
            headerRow: Int(value("header_row") ?? "1") ?? 1,
            recordElement: value("record_element") ?? "xml",
            sheet: value("sheet"),
            id: value("id") ?? "",
            updatedAt: value("updated_at"),
            dateOrder: value("date_order").flatMap(DateOrder.init(rawValue:)),
            legacyTaxIDFormsKey: bool(node["legacy_tax_id_forms_key"]),
            areaCodeResolvesAddress: node["area_code_resolves_address"] == nil ? true : bool(node["area_code_resolves_address"]),
            fields: fields,
            contactFields: contactFields,
            contactChannel: value("contact_channel"),
            rules: rules,
            limits: limits,
            location: location(node),
            fieldLocations: fieldLocations)
    }

    /// `where:`, `skip_rows_matching:` and `dedupe_by:`; a pattern that does not compile is an
    /// issue at its line.
    private mutating func rowRules(from node: Node, locations: inout [String: SourceConfig.Location]) -> RowRules {
        var rules = RowRules()
        func pattern(_ node: Node) -> String? {
            guard let text = validator.text(node) else { return nil }
            if case .failure(let error) = RowRules.compile(text) {
                validator.issue(node, error.message)
                return nil
            }
            return text
        }
        for (index, item) in (node["where"]?.sequence ?? []).enumerated() {
            guard let columnNode = item["column"], let column = validator.text(columnNode) else { continue }
            locations["where[\(index)]"] = location(columnNode)
            let present = Self.testKeys.filter { item[$0] != nil }
            guard present.count == 1, let key = present.first, let argument = item[key] else {
                validator.issue(
                    item,
                    """
                    a where condition needs exactly one test of \(Self.testKeys.joined(separator: ", ")) \
                    (it has \(present.count)); write two conditions to test twice
                    """)
                continue
            }
            let test: RowRules.Condition.Test? =
                switch key {
                case "equals": validator.text(argument).map { .equals($0) }
                case "not_equals": validator.text(argument).map { .notEquals($0) }
                case "in": argument.sequence.map { .oneOf($0.compactMap { validator.text($0) }) }
                case "not_in": argument.sequence.map { .noneOf($0.compactMap { validator.text($0) }) }
                case "matches": pattern(argument).map { .matches($0) }
                default: pattern(argument).map { .notMatches($0) }
                }
            guard let test else { continue }
            rules.conditions.append(RowRules.Condition(column: column, test: test))
        }
        rules.skipPatterns = (node["skip_rows_matching"]?.sequence ?? []).compactMap { pattern($0) }
        for (index, item) in (node["dedupe_by"]?.sequence ?? []).enumerated() {
            guard let column = validator.text(item) else { continue }
            locations["dedupe_by[\(index)]"] = location(item)
            rules.dedupeBy.append(column)
        }
        return rules
    }

    /// `health.anomalies`, defaults from `AnomalyOptions`; the calendar file's problems are
    /// issues of that file, with its lines.
    private mutating func anomalyOptions(_ node: Node?, directory: String, timeZone: TimeZone?) -> AnomalyOptions {
        var options = AnomalyOptions()
        options.timeZone = timeZone ?? TimestampParser.defaultTimeZone
        guard let node else { return options }
        if let value = string(node["batches"], default: nil).flatMap(Int.init) { options.window = value }
        if let value = string(node["min_batches"], default: nil).flatMap(Int.init) { options.minimum = value }
        if let value = number(node["sensitivity"]) { options.sensitivity = value }
        if let value = number(node["floor"]) { options.floor = value }
        if let value = number(node["relative_floor"]) { options.relativeFloor = value }
        options.failOn = node["fail"]?.sequence?.compactMap { validator.text($0) } ?? []
        if options.minimum > options.window {
            validator.issue(
                node["min_batches"],
                "min_batches (\(options.minimum)) is more than batches (\(options.window)): a metric would learn for ever")
        }
        if let calendar = node["calendar"], let path = validator.text(calendar) {
            let full = path.hasPrefix("/") ? path : directory + "/" + path
            switch HolidayCalendar.load(full) {
            case .success(let days): options.holidays = days
            case .failure(let error):
                validator.issue(calendar, "the holiday calendar \(path) has problems (listed with its lines)")
                validator.issues += error.issues
            }
        }
        return options
    }

    /// `base` with the keys of a `limits:` mapping, `${VAR}` resolved; the schema checked the values.
    private mutating func limits(_ node: Node?, over base: RunLimits) -> RunLimits {
        var limits = base
        for key in RunLimits.keys {
            guard let item = node?[key.spec.name], let text = validator.text(item), let value = ByteSize.parse(text) else {
                continue
            }
            key.set(&limits, value)
        }
        return limits
    }

    private static let testKeys = ["equals", "not_equals", "in", "not_in", "matches", "not_matches"]

    private mutating func alert(from node: Node) -> AlertConfig? {
        guard let kind = string(node["type"], default: nil).flatMap(AlertSinkKind.init(rawValue:)),
            let url = string(node["url"], default: nil)
        else { return nil }
        // A key another sink type would use is a mistake worth saying, not a silent no-op.
        for (key, owner) in [("secret", AlertSinkKind.dingtalk), ("token", .webhook)] where kind != owner && node[key] != nil {
            validator.issue(node[key], "'\(key)' is for \(owner.rawValue) alerts only; a \(kind.rawValue) alert does not use it")
        }
        if URL(string: url).flatMap({ ["http", "https"].contains($0.scheme?.lowercased() ?? "") ? $0 : nil }) == nil {
            validator.issue(
                node["url"],
                "the \(kind.rawValue) alert's url is not an http(s) URL (its value is not shown: it may hold a token)")
        }
        let spec: [KeySpec] = if case .object(let keys) = PipelineSchema.alert { keys } else { [] }
        func value(_ key: String) -> String? { string(node[key], default: defaultValue(in: spec, key)) }
        let on =
            node["on"]?.sequence?.compactMap { validator.text($0) }
            ?? (defaultValue(in: spec, "on") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var config = AlertConfig(
            kind: kind, url: url, secret: string(node["secret"], default: nil), token: string(node["token"], default: nil),
            on: Set(on.compactMap(HealthStatus.init(rawValue:))), timeout: value("timeout").flatMap(Double.init) ?? 0,
            retries: value("retries").flatMap(Int.init) ?? 0, backoff: value("backoff").flatMap(Double.init) ?? 0)
        config.onAnomaly = on.contains("anomaly")
        return config
    }

    /// `people_file` then `people`: each mobile checked (a typo would @-mention nobody, silently);
    /// errors name the owner and the line, never the number.
    private mutating func people(directory: String) -> [String: String] {
        var people: [String: String] = [:]
        func add(_ owner: String, _ raw: String, at node: Node, place: String) {
            guard case .success(let phone) = normalizePhone(raw), phone.kind == .mobile else {
                validator.issue(node, "the mobile of \(owner)\(place) in people is not a Chinese mobile number")
                return
            }
            people[owner] = String(phone.e164.dropFirst(3))
        }
        if let node = root["people_file"], let name = string(node, default: nil) {
            let path = name.hasPrefix("/") ? name : directory + "/" + name
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
                    let cells = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard cells.count == 2, !cells[0].isEmpty else { continue }
                    // A header line names its columns: its second cell holds no digit.
                    if index == 0 && !cells[1].contains(where: \.isNumber) { continue }
                    add(
                        cells[0].replacingOccurrences(of: "\u{FEFF}", with: ""), cells[1], at: node,
                        place: " (\(name) line \(index + 1))")
                }
            } else {
                validator.issue(node, "cannot read people_file \(path)")
            }
        }
        for (key, value) in root["people"]?.mapping ?? [:] {
            guard let owner = key.string, let mobile = validator.text(value) else { continue }
            add(owner, mobile, at: value, place: "")
        }
        return people
    }

    private static func delimiter(_ name: String) -> UInt8? {
        switch name {
        case ",": UInt8(ascii: ",")
        case ";": UInt8(ascii: ";")
        case "\\t", "tab", "\t": UInt8(ascii: "\t")
        default: nil
        }
    }

    /// The schema pass and this one resolve the same `${VAR}`s: each issue once, in order.
    private static func unique(_ issues: [ConfigIssue]) -> [ConfigIssue] {
        var seen = Set<String>()
        return issues.filter { seen.insert($0.description).inserted }
    }

    private func location(_ node: Node) -> SourceConfig.Location {
        SourceConfig.Location(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    private mutating func string(_ node: Node?, default fallback: String?) -> String? {
        guard let node else { return fallback }
        return validator.text(node) ?? fallback
    }

    private mutating func bool(_ node: Node?) -> Bool {
        guard let node, let text = validator.text(node) else { return false }
        return ["true", "yes"].contains(text.lowercased())
    }

    private mutating func number(_ node: Node?) -> Double? {
        guard let node, let text = validator.text(node) else { return nil }
        return Double(text)
    }

    private func defaultValue(in keys: [KeySpec], _ name: String) -> String? {
        keys.first { $0.name == name }?.defaultValue
    }
}
