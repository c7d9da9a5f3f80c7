/// A customer key as a dictionary key, hashed as one buffer: `[UInt8]`'s own `hash(into:)`
/// feeds the hasher a byte at a time. Hashing was 12-13% of a PostgreSQL first load's store
/// thread (its dictionaries of the chunks' customers), 9-10% with this.
struct KeyBytes: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
