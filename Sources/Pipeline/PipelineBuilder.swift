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
        var store = ""
        do {
            store = try SQLiteStore.path(fromURL: storeURL, relativeTo: directory)
        } catch {
            validator.issue(storeNode ?? root, error.message)
        }
        let zoneNode = root["timezone"]
        let zoneName = string(zoneNode, default: defaultValue(in: PipelineSchema.root, "timezone"))!
        let timeZone = TimeZone(identifier: zoneName)
        if timeZone == nil { validator.issue(zoneNode, "unknown time zone '\(zoneName)': use an IANA name such as Asia/Shanghai") }

        let keyNode = root["key"]
        let secretNode = keyNode?["secret"]
        let resolvedSecret = string(secretNode, default: nil)
        var secret = resolvedSecret ?? ""
        // An unset ${VAR} was reported already; "empty" would say the same thing twice.
        if secret.isEmpty && (resolvedSecret != nil || secretNode == nil) {
            if bool(keyNode?["demo"]) {
                secret = PipelineConfig.demoSecret
            } else {
                validator.issue(keyNode?["secret"] ?? keyNode, """
                    key.secret is empty: set it from the environment (secret: ${CRMBRIDGE_KEY_SECRET}); \
                    for fixtures only, key.demo: true uses the published demo secret
                    """)
            }
        }

        let sources = (root["sources"]?.sequence ?? []).map { source(from: $0) }
        var priority: [CanonicalField: [String]] = [:]
        for (key, value) in root["survivorship"]?["priority"]?.mapping ?? [:] {
            if let field = key.string.flatMap(CanonicalField.init(rawValue:)) {
                priority[field] = value.sequence?.compactMap { validator.text($0) } ?? []
            }
        }
        let health = root["health"]
        let required = health?["required"]?.sequence?.compactMap { $0.string.flatMap(CanonicalField.init(rawValue:)) }
            ?? CanonicalField.coreRequired
        var thresholds: [MetricName: Threshold] = [:]
        for metric in MetricName.allCases {
            guard let node = health?["thresholds"]?[metric.rawValue] else { continue }
            thresholds[metric] = Threshold(warn: number(node["warn"]), fail: number(node["fail"]))
        }
        let alerts = (root["alerts"]?.sequence ?? []).compactMap { alert(from: $0) }
        guard validator.issues.isEmpty else { throw ConfigError(Self.unique(validator.issues)) }
        return PipelineConfig(
            name: name, file: file, directory: directory, store: store, timeZone: timeZone!,
            secret: Array(secret.utf8), sources: sources, survivorship: Survivorship(priority: priority),
            required: required, thresholds: thresholds, alerts: alerts)
    }

    private mutating func source(from node: Node) -> SourceConfig {
        let spec: [KeySpec] = if case .object(let keys) = PipelineSchema.source { keys } else { [] }
        func value(_ key: String) -> String? { string(node[key], default: defaultValue(in: spec, key)) }
        let encodingName = value("encoding") ?? "auto"
        let delimiterName = value("delimiter") ?? "auto"
        var fields: [(field: CanonicalField, column: String)] = []
        var fieldLocations: [String: SourceConfig.Location] = [:]
        for (key, column) in node["fields"]?.mapping ?? [:] {
            guard let field = key.string.flatMap(CanonicalField.init(rawValue:)), let name = validator.text(column) else { continue }
            fields.append((field, name))
            fieldLocations["fields.\(field.rawValue)"] = location(column)
        }
        for key in ["id", "updated_at", "path"] {
            if let item = node[key] { fieldLocations[key] = location(item) }
        }
        if value("kind") == "interactions", let kindNode = node["kind"] {
            validator.issue(kindNode, """
                kind: interactions (calls, form contacts) is not supported by this version yet: \
                load the file as customers, or leave it out
                """)
        }
        return SourceConfig(
            system: value("system") ?? "",
            kind: SourceConfig.Kind(rawValue: value("kind") ?? "customers") ?? .customers,
            path: value("path") ?? "",
            format: value("format") ?? "csv",
            encoding: encodingName == "auto" ? nil : TextEncoding(name: encodingName),
            delimiter: Self.delimiter(delimiterName),
            headerRow: Int(value("header_row") ?? "1") ?? 1,
            recordElement: value("record_element") ?? "xml",
            id: value("id") ?? "",
            updatedAt: value("updated_at"),
            legacyTaxIDFormsKey: bool(node["legacy_tax_id_forms_key"]),
            areaCodeResolvesAddress: node["area_code_resolves_address"] == nil ? true : bool(node["area_code_resolves_address"]),
            fields: fields,
            location: location(node),
            fieldLocations: fieldLocations)
    }

    private mutating func alert(from node: Node) -> AlertConfig? {
        guard let kind = string(node["type"], default: nil).flatMap(AlertSinkKind.init(rawValue:)),
              let url = string(node["url"], default: nil) else { return nil }
        // A key another sink type would use is a mistake worth saying, not a silent no-op.
        for (key, owner) in [("secret", AlertSinkKind.dingtalk), ("token", .webhook)] where kind != owner && node[key] != nil {
            validator.issue(node[key], "'\(key)' is for \(owner.rawValue) alerts only; a \(kind.rawValue) alert does not use it")
        }
        if URL(string: url).flatMap({ ["http", "https"].contains($0.scheme?.lowercased() ?? "") ? $0 : nil }) == nil {
            validator.issue(node["url"], "the \(kind.rawValue) alert's url is not an http(s) URL (its value is not shown: it may hold a token)")
        }
        let spec: [KeySpec] = if case .object(let keys) = PipelineSchema.alert { keys } else { [] }
        func value(_ key: String) -> String? { string(node[key], default: defaultValue(in: spec, key)) }
        let on = node["on"]?.sequence?.compactMap { validator.text($0) }
            ?? (defaultValue(in: spec, "on") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return AlertConfig(
            kind: kind, url: url, secret: string(node["secret"], default: nil), token: string(node["token"], default: nil),
            on: Set(on.compactMap(HealthStatus.init(rawValue:))), timeout: value("timeout").flatMap(Double.init) ?? 0,
            retries: value("retries").flatMap(Int.init) ?? 0, backoff: value("backoff").flatMap(Double.init) ?? 0)
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
