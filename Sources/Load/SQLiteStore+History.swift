import Foundation
import GRDB
import Transform

extension SQLiteStore {
    /// The history of the customer with this key (64 hex digits); nil when the store has none.
    /// A creation is stored on the customer row, not in the change log: its values are each
    /// column's old value at its first change, or its value now when it never changed.
    package func history(ofCustomer keyHex: String) throws -> CustomerHistory? {
        guard let key = CustomerKey(hex: keyHex).map({ Data($0.bytes) }) else { return nil }
        let columns = MasterColumn.allCases.map(\.name)
        return try queue.read { db -> CustomerHistory? in
            guard
                let customer = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT b.batch_id, b.as_of, c.created_system, c.created_source_id, \
                        \(columns.map { "c.\($0)" }.joined(separator: ", "))
                        FROM customers c JOIN batches b ON b.id = c.created_batch WHERE c.customer_key = ?
                        """, arguments: [key])
            else { return nil }
            let changes = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.field, l.old_value, l.new_value, l.source_system, l.source_id, b.batch_id, l.changed_at
                    FROM change_log l JOIN batches b ON b.id = l.batch WHERE l.customer_key = ? ORDER BY l.id
                    """, arguments: [key]
            ).map { row in
                CustomerHistory.Entry(
                    kind: .changed, batchID: row[5], at: row[6], sourceSystem: row[3], sourceID: row[4],
                    field: row[0], oldValue: row[1], newValue: row[2])
            }
            var initial: [String: String?] = [:]
            for (index, column) in columns.enumerated() { initial[column] = customer[4 + index] as String? }
            for change in changes.reversed() { initial[change.field!] = change.oldValue }
            let created = CustomerHistory.Entry(
                kind: .created, batchID: customer[0], at: customer[1], sourceSystem: customer[2], sourceID: customer[3],
                values: initial.compactMapValues { $0 })
            return CustomerHistory(customerKey: keyHex.lowercased(), entries: [created] + changes)
        }
    }
}
