import Extract

/// Something that takes a row's values in order, as `?` parameters of SQL: a prepared statement
/// (`FastStatement`) or rows waiting to be sent several to a statement (`BatchedInsert`). The
/// value kinds the store writes are built on three primitives.
protocol RowBinding {
    mutating func bindNull()
    mutating func bindInteger(_ value: Int64)
    /// Text (UTF-8) or a blob; the bytes are copied before this returns.
    mutating func bindBytes(_ bytes: UnsafeRawBufferPointer, text: Bool)
}

extension RowBinding {
    /// Reads a native string's bytes where they are (`withUTF8Bytes`).
    mutating func bind(_ text: String?) {
        guard let text else { return bindNull() }
        text.withUTF8Bytes { bindBytes(UnsafeRawBufferPointer($0), text: true) }
    }

    /// Binds UTF-8 bytes as text.
    mutating func bind(utf8: [UInt8]) {
        utf8.withUnsafeBytes { bindBytes($0, text: true) }
    }

    /// Binds each of `texts` in turn.
    mutating func bind(_ texts: PackedTexts) {
        texts.forEachValue { value in
            guard let value else { return bindNull() }
            bindBytes(value, text: true)
        }
    }

    mutating func bind(_ value: Int64?) {
        guard let value else { return bindNull() }
        bindInteger(value)
    }

    mutating func bind(blob: [UInt8]?) {
        guard let blob else { return bindNull() }
        blob.withUnsafeBytes { bindBytes($0, text: false) }
    }
}
