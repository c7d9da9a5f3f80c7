import Extract

/// Text values in one buffer, each a 4-byte length (`UInt32.max` for nil) and its UTF-8 bytes.
/// A new customer's values are made on a reading thread and bound on the store's: as strings,
/// the store thread's first touch of each (a retain on memory the other core wrote) was 13% of
/// its time in a million-row first load; one buffer is touched once. The pending pass hands a
/// stored customer's columns the other way (`StoredCustomer.Row`).
struct PackedTexts: Sendable {
    private var bytes: [UInt8] = []
    private(set) var count = 0

    init(_ values: [String?]) {
        let total = values.reduce(0) { $0 + 4 + ($1?.utf8.count ?? 0) }
        // Sized once and filled by copies, not appended to value by value.
        bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let address = buffer.baseAddress else { return }
            let base = UnsafeMutableRawPointer(address)
            var at = 0
            for index in values.indices {
                guard let value = values[index] else {
                    base.storeBytes(of: UInt32.max.littleEndian, toByteOffset: at, as: UInt32.self)
                    at += 4
                    continue
                }
                value.withUTF8Bytes { utf8 in
                    base.storeBytes(of: UInt32(utf8.count).littleEndian, toByteOffset: at, as: UInt32.self)
                    if let source = utf8.baseAddress { (base + at + 4).copyMemory(from: source, byteCount: utf8.count) }
                    at += 4 + utf8.count
                }
            }
            initialized = at
        }
        count = values.count
    }

    /// Values added one at a time (`append`); `capacity`: bytes to reserve.
    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Adds a value's UTF-8 bytes, or nil.
    mutating func append(_ value: UnsafeRawBufferPointer?) {
        count += 1
        guard let value else { return append(length: .max) }
        append(length: UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    private mutating func append(length: UInt32) {
        withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Calls `body` with each value's bytes in order, nil for a nil value; the bytes last only
    /// for the call.
    func forEachValue(_ body: (UnsafeRawBufferPointer?) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { buffer in
            var at = 0
            while at < buffer.count {
                let length = buffer.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian
                at += 4
                guard length != .max else {
                    try body(nil)
                    continue
                }
                try body(UnsafeRawBufferPointer(rebasing: buffer[at..<at + Int(length)]))
                at += Int(length)
            }
        }
    }

    /// The values as strings again.
    var strings: [String?] {
        var values: [String?] = []
        values.reserveCapacity(count)
        forEachValue { values.append($0.map { String(decoding: $0, as: UTF8.self) }) }
        return values
    }
}
