import Extract
import Foundation
import Health
import Load
import Transform

/// A validated pipeline file, defaults applied and `${VAR}` resolved.
package struct PipelineConfig: Sendable {
    package var name: String
    /// The pipeline file's path, and the folder relative paths are taken from.
    package var file: String
    package var directory: String
    package var store: StoreLocation
    package var timeZone: TimeZone
    /// The key secret; never printed.
    package var secret: [UInt8]
    package var sources: [SourceConfig]
    package var survivorship: Survivorship
    package var required: [CanonicalField]
    package var thresholds: [MetricName: Threshold]
    /// Sinks to alert when a threshold is breached; their URLs and secrets are never printed.
    package var alerts: [AlertConfig]
    /// `scan.active_statuses`: empty means every customer.
    package var activeStatuses: [String] = []
    package var gapFields: [CanonicalField] = GapScan.defaultFields
    /// `people`: owner name → mobile (11 digits), for @-mentions; never printed.
    package var people: [String: String] = [:]
    /// `scan.sales_vp`: the name in `people` the gap summary @-mentions.
    package var salesVP: String?
    /// `scan.record_url`: the address that opens a customer's record.
    package var recordURL: RecordURL?
    /// `locale`: the language of reports, lists and robot messages.
    package var language = Language.default
    /// `health.anomalies`: how the metric history is judged.
    package var anomalies = AnomalyOptions()

    /// The secret the demo uses when `key.demo` is true and no secret is set. Published, so
    /// keys made with it are reversible: for fixtures and the demo only.
    package static let demoSecret = "crmbridge-demo-secret-not-for-production"
}

package struct SourceConfig: Sendable {
    package enum Kind: String, Sendable { case customers, interactions }

    /// The file format, as the pipeline file names it: the schema accepts these names only.
    package enum Format: String, Sendable, CaseIterable {
        case csv, xlsx, jsonl, json, xml
    }

    package var system: String
    package var kind: Kind
    package var path: String
    package var format: Format
    package var encoding: TextEncoding?
    package var delimiter: UInt8?
    package var headerRow: Int
    /// xml only: the element that holds one record.
    package var recordElement: String
    /// xlsx only: the worksheet by name or 1-based position; nil: the first worksheet.
    package var sheet: String?
    package var id: String
    package var updatedAt: String?
    /// How the source writes dates that do not start with the year; nil: refuse them as ambiguous.
    package var dateOrder: DateOrder?
    package var legacyTaxIDFormsKey: Bool
    package var areaCodeResolvesAddress: Bool
    package var fields: [(field: CanonicalField, column: String)]
    /// An interactions source's contact fields.
    package var contactFields: [(field: ContactField, column: String)]
    /// Customers whose rows are also contacts: the channel; interactions: their default channel.
    package var contactChannel: String?
    package var rules: RowRules
    /// The pipeline's `limits:`, with this source's own over them.
    package var limits: RunLimits
    /// Where this entry sits in the pipeline file, for errors found when its files are read.
    package var location: Location
    package var fieldLocations: [String: Location]

    package struct Location: Sendable {
        package var line: Int
        package var column: Int
    }
}
