import Load

/// The data quality of one owner's book of customers, for the manager's review: how many are
/// complete, how many of the owner's records the latest batch rejected, how many of the owner's
/// customers on the last gap list were closed since.
///
/// `score` = 100 × (0.6 × complete share + 0.2 × (1 − reject share) + 0.2 × closed share), where
/// reject share = rejects / (customers + rejects) and closed share = closed / listed on the gap
/// list before the latest (1 when there is no such list or it named none of the owner's customers).
package struct OwnerScore: Sendable, Codable, Equatable {
    package var owner: String
    package var customers: Int
    package var complete: Int
    package var completeShare: Double
    package var rejects: Int
    package var gapsOpen: Int
    package var gapsListedBefore: Int?
    package var gapsClosed: Int?
    package var score: Double

    package init(_ counts: OwnerCounts) {
        owner = counts.owner
        customers = counts.customers
        complete = counts.complete
        completeShare = counts.customers == 0 ? 1 : Double(counts.complete) / Double(counts.customers)
        rejects = counts.rejects
        gapsOpen = counts.gapsOpen
        gapsListedBefore = counts.gapsListedBefore
        gapsClosed = counts.gapsClosed
        let rejectShare =
            counts.customers + counts.rejects == 0
            ? 0
            : Double(counts.rejects) / Double(counts.customers + counts.rejects)
        let closedShare =
            counts.gapsListedBefore.flatMap { listed in
                listed == 0 ? nil : Double(counts.gapsClosed ?? 0) / Double(listed)
            } ?? 1
        score = ((60 * completeShare + 20 * (1 - rejectShare) + 20 * closedShare) * 10).rounded() / 10
    }

    /// Scores of every owner, worst first; `customers` gives each owner's customers and complete
    /// ones, as the latest batch measured them (a grouped scan too slow to repeat per report).
    package static func measure(_ store: any MasterStore, customers: [String: (customers: Int, complete: Int)]) throws
        -> [OwnerScore]
    {
        try store.ownerCounts(customers: customers)
            .map(OwnerScore.init)
            .sorted { $0.score < $1.score || ($0.score == $1.score && $0.owner < $1.owner) }
    }
}
