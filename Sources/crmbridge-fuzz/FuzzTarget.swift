import Glibc

/// One fuzz target: a name for `CRMBRIDGE_FUZZ_TARGET` and the replayer's first argument, and
/// what it does with one input. `run` returns normally for every input the code under test
/// handles as it should; a broken invariant ends the process through `require`, which libFuzzer
/// records as a crash and the replayer as a failed exit.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    let run: @Sendable (UnsafeRawBufferPointer) -> Void

    /// Every target, in the order `make fuzz` runs them.
    static let all: [FuzzTarget] = [
        .csv, .xlsx, .xlsxSheet, .json, .xml, .labelled, .pipeline,
        .phone, .name, .address, .taxID, .date,
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    static var usage: String {
        "targets: " + all.map(\.name).joined(separator: " ")
    }
}

/// Stops the process when an invariant does not hold: the message goes to stderr, then
/// `abort()`, which libFuzzer reports as a crash with the input saved beside it.
func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if condition() { return }
    printError("crmbridge-fuzz: invariant broken at \(file):\(line): \(message())\n")
    abort()
}

/// A value for a message: short, with its control characters visible.
func shown(_ text: some StringProtocol, limit: Int = 120) -> String {
    let head = text.unicodeScalars.prefix(limit).map {
        $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0)
    }.joined()
    return "\"" + head + (text.unicodeScalars.count > limit ? "…" : "") + "\""
}

/// The input as text: invalid UTF-8 repaired, as a reader's or a user's bytes would arrive.
func text(_ bytes: UnsafeRawBufferPointer) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// Writes `text` to standard error, unbuffered: it must be out before an `abort()`.
func printError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}
