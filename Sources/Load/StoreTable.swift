import Transform

/// The tables of a master store, in the order `crmbridge store copy` writes them (a batch before
/// the rows that refer to it), with their columns as the last migration of either store leaves them.
package enum StoreTable: String, Sendable, CaseIterable {
    case batches, batchFiles = "batch_files", customers, xref, landlines, changeLog = "change_log", rejects, interactions
    case scans, scanItems = "scan_items", metrics, presenceGroups = "presence_groups"

    package var columns: [String] {
        switch self {
        case .batches: ["id", "batch_id", "pipeline", "started_at", "finished_at", "as_of", "summary"]
        case .batchFiles: ["batch", "source_system", "path", "sha256", "bytes", "records"]
        case .customers:
            ["customer_key", "phone_e164", "tax_id"] + MasterColumn.allCases.map(\.name)
                + [
                    "updated_at", "provenance", "created_batch", "changed_batch", "created_system", "created_source_id",
                    "systems",
                ]
        case .xref:
            [
                "source_system", "source_id", "customer_key", "state", "link", "batch", "digest", "updated_at", "record",
                "raw_digest",
            ]
        case .landlines: ["landline_e164", "customer_key"]
        case .changeLog:
            ["id", "batch", "customer_key", "field", "old_value", "new_value", "source_system", "source_id", "changed_at"]
        case .rejects: ["id", "batch", "source_system", "source_file", "locator", "reason_code", "reason", "source_id", "owner"]
        case .interactions:
            [
                "source_system", "source_id", "batch", "channel", "started_at", "phone_e164", "agent", "duration_s", "outcome",
                "called",
            ]
        case .scans: ["id", "kind", "scanned_at", "items", "previous_listed", "closed", "closed_within_48h"]
        case .scanItems: ["scan", "customer_key", "missing"]
        case .metrics: ["batch", "metric", "system", "field", "value", "numerator", "denominator"]
        case .presenceGroups: ["owner", "systems", "mask", "customers"]
        }
    }

    /// Columns of raw bytes; a copy carries them as lowercase hex.
    package var byteColumns: Set<String> { ["customer_key", "provenance"] }

    /// The column numbered by the store (an identity), whose counter a copy moves past the rows.
    var identity: String? { [.batches, .changeLog, .rejects, .scans].contains(self) ? "id" : nil }

    /// The order rows are read in: the primary key's.
    var order: String {
        switch self {
        case .batches, .changeLog, .rejects, .scans: "id"
        case .batchFiles: "batch, source_system, path"
        case .customers: "customer_key"
        case .xref, .interactions: "source_system, source_id"
        case .landlines: "landline_e164, customer_key"
        case .scanItems: "scan, customer_key"
        case .metrics: "batch, metric, system, field"
        case .presenceGroups: "owner, systems, mask"
        }
    }
}

/// Raw access to a store's tables, for `crmbridge store copy`: rows as text (NULL as nil, bytes
/// as hex, numbers as their decimal text).
package protocol StoreTables {
    /// Rows per table.
    func rowCounts() throws -> [StoreTable: Int]
    /// Streams a table's rows in primary-key order.
    func forEachRow(of table: StoreTable, _ body: ([String?]) throws -> Void) throws
    /// Replaces every table's rows by `source`'s, in one transaction under the store's lock.
    func replaceTables(from source: any StoreTables) throws
}

/// Lowercase hex of `bytes`.
func hexText(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 15)])
    }
    return String(decoding: text, as: UTF8.self)
}

/// The bytes of lowercase or uppercase hex; nil when it is not hex.
func bytes(fromHex text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    for index in stride(from: 0, to: digits.count, by: 2) {
        guard let high = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
        bytes.append(high)
    }
    return bytes
}
