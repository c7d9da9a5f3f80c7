import Foundation

/// One row of the `metrics` table: a metric of one batch, overall or for one system or field.
public struct MetricRow: Sendable, Equatable {
    public var metric: String
    /// The source system; "" for the whole batch.
    public var system: String
    /// The field; "" when the metric is not per field.
    public var field: String
    public var value: Double
    /// The counts behind a ratio (value = numerator / denominator); nil for plain counts.
    public var numerator: Int?
    public var denominator: Int?

    public init(metric: String, system: String = "", field: String = "", value: Double, numerator: Int? = nil,
                denominator: Int? = nil) {
        self.metric = metric
        self.system = system
        self.field = field
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// A committed batch as health reports read it back.
public struct StoredBatch: Sendable {
    public var batchID: String
    public var pipeline: String
    /// ISO 8601 with offset, as stored.
    public var asOf: String
    public var finishedAt: String
    /// The run summary (JSON) the runner stored.
    public var summary: String
    public var metrics: [MetricRow]
    /// Rejects of this batch per reason code.
    public var rejectsByReason: [String: Int]

    /// A metric's limits as the batch ran with them, from its stored summary.
    public struct Limits: Sendable, Equatable, Decodable {
        public var name: String
        public var warn: Double?
        public var fail: Double?
    }

    /// The limits of every metric the batch judged; none when the summary cannot be read.
    public var limits: [Limits] {
        struct Summary: Decodable { var metrics: [Limits] }
        return (try? JSONDecoder().decode(Summary.self, from: Data(summary.utf8)))?.metrics ?? []
    }
}
