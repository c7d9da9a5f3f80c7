import GRDB

/// What one owner's customers look like in the store: the inputs of the per-owner score.
package struct OwnerCounts: Sendable, Equatable {
    package var owner: String
    package var customers: Int
    /// Customers passing every presence test.
    package var complete: Int
    /// Rejected records of the latest batch whose owner column names this owner.
    package var rejects: Int
    /// The owner's customers on the latest gap list.
    package var gapsOpen: Int
    /// The owner's customers on the gap list before it, and how many of those are off the latest one.
    package var gapsListedBefore: Int?
    package var gapsClosed: Int?

    package init(
        owner: String, customers: Int, complete: Int, rejects: Int, gapsOpen: Int, gapsListedBefore: Int? = nil,
        gapsClosed: Int? = nil
    ) {
        self.owner = owner
        self.customers = customers
        self.complete = complete
        self.rejects = rejects
        self.gapsOpen = gapsOpen
        self.gapsListedBefore = gapsListedBefore
        self.gapsClosed = gapsClosed
    }
}

/// The latest gap scan: when, how many by sales group, and what became of the list before it.
package struct GapScanSummary: Sendable, Codable, Equatable {
    package struct Group: Sendable, Codable, Equatable {
        package var salesGroup: String
        package var customers: Int

        package init(salesGroup: String, customers: Int) {
            self.salesGroup = salesGroup
            self.customers = customers
        }
    }

    package var scannedAt: String
    package var customers: Int
    package var bySalesGroup: [Group]
    package var previousListed: Int?
    package var closed: Int?
    package var closedWithin48h: Int?

    package init(
        scannedAt: String, customers: Int, bySalesGroup: [Group], previousListed: Int?, closed: Int?,
        closedWithin48h: Int?
    ) {
        self.scannedAt = scannedAt
        self.customers = customers
        self.bySalesGroup = bySalesGroup
        self.previousListed = previousListed
        self.closed = closed
        self.closedWithin48h = closedWithin48h
    }
}

extension SQLiteStore {
    /// Per owner ("" for customers without one): `customers` (customers, complete ones, as
    /// completeness counted them), the latest batch's rejects and the gap lists of the last two scans.
    package func ownerCounts(customers: [String: (customers: Int, complete: Int)]) throws(StoreError) -> [OwnerCounts] {
        try reading { db in
            var owners: [String: OwnerCounts] = [:]
            func entry(_ owner: String) -> OwnerCounts {
                owners[owner] ?? OwnerCounts(owner: owner, customers: 0, complete: 0, rejects: 0, gapsOpen: 0)
            }
            for (owner, counts) in customers {
                owners[owner] = OwnerCounts(
                    owner: owner, customers: counts.customers, complete: counts.complete, rejects: 0,
                    gapsOpen: 0)
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT owner, COUNT(*) FROM rejects WHERE batch = (SELECT MAX(id) FROM batches) AND owner <> '' GROUP BY owner
                    """)
            {
                var counts = entry(row[0])
                counts.rejects = row[1]
                owners[counts.owner] = counts
            }
            let scans = try Int64.fetchAll(db, sql: "SELECT id FROM scans WHERE kind = 'gaps' ORDER BY id DESC LIMIT 2")
            if let latest = scans.first {
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT COALESCE(c.owner, ''), COUNT(*) FROM scan_items i JOIN customers c USING (customer_key)
                        WHERE i.scan = ? GROUP BY 1
                        """, arguments: [latest])
                {
                    var counts = entry(row[0])
                    counts.gapsOpen = row[1]
                    owners[counts.owner] = counts
                }
            }
            if scans.count == 2 {
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT COALESCE(c.owner, ''), COUNT(*),
                            SUM(NOT EXISTS (SELECT 1 FROM scan_items l WHERE l.scan = ? AND l.customer_key = i.customer_key))
                        FROM scan_items i JOIN customers c USING (customer_key) WHERE i.scan = ? GROUP BY 1
                        """, arguments: [scans[0], scans[1]])
                {
                    var counts = entry(row[0])
                    counts.gapsListedBefore = row[1]
                    counts.gapsClosed = row[2]
                    owners[counts.owner] = counts
                }
            }
            return owners.values.sorted { $0.owner < $1.owner }
        }
    }

    /// The latest remembered gap scan, or nil when none was made.
    package func latestGapScan() throws(StoreError) -> GapScanSummary? {
        try reading { db in
            guard
                let scan = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, scanned_at, items, previous_listed, closed, closed_within_48h FROM scans
                        WHERE kind = 'gaps' ORDER BY id DESC LIMIT 1
                        """)
            else { return nil }
            let groups = try Row.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(c.sales_group, ''), COUNT(*) FROM scan_items i JOIN customers c USING (customer_key)
                    WHERE i.scan = ? GROUP BY 1 ORDER BY 2 DESC, 1
                    """, arguments: [scan[0] as Int64]
            ).map { GapScanSummary.Group(salesGroup: $0[0], customers: $0[1]) }
            return GapScanSummary(
                scannedAt: scan[1], customers: scan[2], bySalesGroup: groups,
                previousListed: scan[3], closed: scan[4], closedWithin48h: scan[5])
        }
    }
}
