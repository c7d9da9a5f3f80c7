import Foundation

/// One row of the `metrics` table: a metric of one batch, overall or for one system or field.
package struct MetricRow: Sendable, Equatable {
    package var metric: String
    /// The source system; "" for the whole batch.
    package var system: String
    /// The field; "" when the metric is not per field.
    package var field: String
    package var value: Double
    /// The counts behind a ratio (value = numerator / denominator); nil for plain counts.
    package var numerator: Int?
    package var denominator: Int?

    package init(
        metric: String, system: String = "", field: String = "", value: Double, numerator: Int? = nil,
        denominator: Int? = nil
    ) {
        self.metric = metric
        self.system = system
        self.field = field
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// A committed batch as health reports read it back.
package struct StoredBatch: Sendable {
    package var batchID: String
    package var pipeline: String
    /// ISO 8601 with offset, as stored.
    package var asOf: String
    package var finishedAt: String
    /// The run summary (JSON) the runner stored.
    package var summary: String
    package var metrics: [MetricRow]
    /// Rejects of this batch per reason code.
    package var rejectsByReason: [String: Int]

    /// A metric's limits as the batch ran with them, from its stored summary.
    package struct Limits: Sendable, Equatable, Decodable {
        package var name: String
        package var warn: Double?
        package var fail: Double?
    }

    /// The limits of every metric the batch judged; none when the summary cannot be read.
    package var limits: [Limits] {
        struct Summary: Decodable { var metrics: [Limits] }
        return (try? JSONDecoder().decode(Summary.self, from: Data(summary.utf8)))?.metrics ?? []
    }
}
