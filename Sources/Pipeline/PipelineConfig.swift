import Extract
import Foundation
import Health
import Load
import Transform

/// A validated pipeline file, defaults applied and `${VAR}` resolved.
public struct PipelineConfig: Sendable {
    public var name: String
    /// The pipeline file's path, and the folder relative paths are taken from.
    public var file: String
    public var directory: String
    public var store: String
    public var timeZone: TimeZone
    /// The key secret; never printed.
    public var secret: [UInt8]
    public var sources: [SourceConfig]
    public var survivorship: Survivorship
    public var required: [CanonicalField]
    public var thresholds: [MetricName: Threshold]
    /// Sinks to alert when a threshold is breached; their URLs and secrets are never printed.
    public var alerts: [AlertConfig]
    /// `scan.active_statuses`: empty means every customer.
    public var activeStatuses: [String] = []
    public var gapFields: [CanonicalField] = GapScan.defaultFields

    /// The secret the demo uses when `key.demo` is true and no secret is set. Published, so
    /// keys made with it are reversible: for fixtures and the demo only.
    public static let demoSecret = "crmbridge-demo-secret-not-for-production"
}

public struct SourceConfig: Sendable {
    public enum Kind: String, Sendable { case customers, interactions }

    /// The file format, as the pipeline file names it: the schema accepts these names only.
    public enum Format: String, Sendable, CaseIterable {
        case csv, xlsx, jsonl, json, xml
    }

    public var system: String
    public var kind: Kind
    public var path: String
    public var format: Format
    public var encoding: TextEncoding?
    public var delimiter: UInt8?
    public var headerRow: Int
    /// xml only: the element that holds one record.
    public var recordElement: String
    /// xlsx only: the worksheet by name or 1-based position; nil: the first worksheet.
    public var sheet: String?
    public var id: String
    public var updatedAt: String?
    /// How the source writes dates that do not start with the year; nil: refuse them as ambiguous.
    public var dateOrder: DateOrder?
    public var legacyTaxIDFormsKey: Bool
    public var areaCodeResolvesAddress: Bool
    public var fields: [(field: CanonicalField, column: String)]
    /// An interactions source's contact fields.
    public var contactFields: [(field: ContactField, column: String)]
    /// Customers whose rows are also contacts: the channel; interactions: their default channel.
    public var contactChannel: String?
    public var rules: RowRules
    /// Where this entry sits in the pipeline file, for errors found when its files are read.
    public var location: Location
    public var fieldLocations: [String: Location]

    public struct Location: Sendable {
        public var line: Int
        public var column: Int
    }
}
