/// Records linked through their mobile when they are merged, not in the pending pass
/// (docs/design.md, Linking: early links). Only a batch that started with no customer keeps
/// them: it made every customer, so it can know every customer's mobile (`add`).
///
/// The pass links a waiting record when exactly one customer holds its mobile after the last
/// file. A batch never removes a customer and never changes a customer's mobile, so a mobile
/// that names exactly one customer when a record is merged still names that one at the end,
/// unless the batch makes another customer with it later: that mobile is then `broken`, and its
/// early links go back to waiting for the pass. A first load of 200,000 customers links 240,000
/// records this way and no longer reads them again after the last file.
struct EarlyLinks {
    /// The customer a waiting record links to, found by `customer`.
    struct Target {
        var key: [UInt8]
        var row: Int64
        /// Its place in the table, for `linked`.
        fileprivate var entry: Int
    }

    /// Mobiles (`code`) with the customer that holds each, or `ambiguous`.
    private var entries: [UInt64: Int32] = [:]
    /// 32 bytes per entry.
    private var keys: [UInt8] = []
    private var rows: [Int64] = []
    /// Whether a record was linked early through the entry's mobile.
    private var used: [Bool] = []
    /// Mobiles a later customer made ambiguous after a record was linked early through them.
    private(set) var broken: Set<UInt64> = []
    /// Early links per source system, kept until the pass counts them.
    private(set) var bySystem: [String: Int] = [:]
    /// Whether every customer's mobile is noted: false once one was left out past `capacity`.
    private var complete = true
    /// Customers past this many are not noted (about 60 bytes each; 2^18 by default, 16 MB):
    /// their mobiles link in the pass. A mobile noted before keeps its count, since every new
    /// customer is checked against it.
    private let capacity: Int
    private static let ambiguous: Int32 = -1

    init(capacity: Int = 1 << 18) { self.capacity = capacity }

    var count: Int { bySystem.values.reduce(0, +) }

    /// Notes a customer the batch made.
    mutating func add(mobile: String?, key: [UInt8], row: Int64) {
        guard let code = mobile.flatMap(Self.code) else { return }
        if let index = entries[code] {
            if index != Self.ambiguous, used[Int(index)] { broken.insert(code) }
            entries[code] = Self.ambiguous
            return
        }
        // A key that is not one (a damaged store) still counts its mobile as taken: a second
        // customer with it must not look like the only one.
        guard key.count == 32 else {
            entries[code] = Self.ambiguous
            return
        }
        guard rows.count < capacity else {
            complete = false
            return
        }
        entries[code] = Int32(rows.count)
        keys.append(contentsOf: key)
        rows.append(row)
        used.append(false)
    }

    /// The only customer holding `mobile` now, if the batch knows it has just one.
    func customer(mobile: String) -> Target? {
        guard let code = Self.code(mobile), let index = entries[code], index != Self.ambiguous else { return nil }
        let at = Int(index)
        return Target(key: Array(keys[at * 32..<at * 32 + 32]), row: rows[at], entry: at)
    }

    /// Counts a record of `system` linked to `target`.
    mutating func linked(to target: Target, system: String) {
        used[target.entry] = true
        bySystem[system, default: 0] += 1
    }

    /// Takes back an early link of `system`: its row was written again, or its mobile broke.
    mutating func unlinked(system: String) {
        bySystem[system, default: 0] -= 1
    }

    /// The mobiles the table knows every holder of, for the pending pass; nil when it left a
    /// customer out.
    var heldMobiles: HeldMobiles? { complete ? HeldMobiles(entries: entries) : nil }

    /// An E.164 number as one integer: its digit count in the top four bits, the digits below
    /// (15 digits at most, so the value fits in 50 bits). Nil for anything else, which is never
    /// linked early.
    static func code(_ mobile: String) -> UInt64? {
        var digits: UInt64 = 0
        var count: UInt64 = 0
        for (offset, byte) in mobile.utf8.enumerated() {
            if offset == 0 {
                guard byte == UInt8(ascii: "+") else { return nil }
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), count < 15 else { return nil }
            digits = digits * 10 + UInt64(byte - UInt8(ascii: "0"))
            count += 1
        }
        return count == 0 ? nil : count << 60 | digits
    }
}

/// Every mobile a batch that started empty gave its customers (`EarlyLinks.heldMobiles`). The
/// pending pass asks the store for the customers of a mobile only when one holds it: 67,608 of
/// the 79,476 records a first load of 200,000 customers leaves waiting have a mobile none holds,
/// most of them calls from strangers.
struct HeldMobiles {
    fileprivate let entries: [UInt64: Int32]

    /// Whether no customer holds `mobile`; false when the table cannot tell (not an E.164 number).
    func noneHold(_ mobile: String) -> Bool {
        guard let code = EarlyLinks.code(mobile) else { return false }
        return entries[code] == nil
    }
}
