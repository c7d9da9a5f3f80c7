import Extract

/// Why a source record was rejected: the machine-readable `rejects.reason_code`.
package enum RejectReason: String, Sendable, CaseIterable {
    /// Every cell of the record is empty.
    case emptyRow = "empty_row"
    /// The record does not have the file's shape (field count, quoting, syntax).
    case malformed
    /// The record holds bytes invalid in the file's encoding.
    case badEncoding = "bad_encoding"
    /// A cell or the whole record holds more text than the reader's limits allow.
    case tooLarge = "too_large"
    /// Neither a valid mobile phone nor a valid tax ID: nothing can ever link it.
    case noIdentifier = "no_identifier"
    /// The source id column is empty: the record cannot be cross-referenced.
    case missingID = "missing_id"
    /// The same source record, with the same values, already appeared in this batch (or its
    /// `dedupe_by` values repeat an earlier row's).
    case duplicate
    /// Left out by the source's `where:` rule (a subscribe event, not a form).
    case filtered
    /// Matched the source's `skip_rows_matching:` rule: a totals, footer or banner row.
    case skipped

    package init(_ refusal: ReadRefusal) {
        switch refusal {
        case .emptyRow: self = .emptyRow
        case .malformed: self = .malformed
        case .badEncoding: self = .badEncoding
        case .tooLarge: self = .tooLarge
        }
    }
}

/// A record that will not enter the master store, with the reason a person can act on.
package struct Rejection: Error, Sendable {
    package var reason: RejectReason
    package var message: String
    package var sourceID: String

    package init(_ reason: RejectReason, _ message: String, sourceID: String = "") {
        self.reason = reason
        self.message = message
        self.sourceID = sourceID
    }
}
