/// The source records a batch read as pending, or left pending, to tell its own links from
/// earlier batches' in the pending pass. Source ids by system, not `system␟id` strings: most
/// ids fit in a String's inline 15 bytes, so a first load's 300,000 waiting records cost a set
/// entry each and no allocation (about 20 MB less at the pending pass, where a batch peaks).
struct PendingReferences {
    private var ids: [String: Set<String>] = [:]

    mutating func insert(_ system: String, _ sourceID: String) {
        ids[system, default: []].insert(sourceID)
    }

    func contains(_ system: String, _ sourceID: String) -> Bool {
        ids[system]?.contains(sourceID) ?? false
    }
}
