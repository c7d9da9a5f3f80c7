import Foundation
import Transform

extension FuzzTarget {
    /// TimestampParser.parse on the input as text, in a zone without and one with daylight
    /// saving time. An instant is finite, and written as ISO 8601 it parses back to itself (to
    /// the second), within the years the parser accepts (1900–2200).
    static let date = FuzzTarget(name: "date", summary: "TimestampParser.parse") { input in
        let raw = text(input)
        for parser in parsers {
            guard case .success(let date) = parser.parse(raw) else { continue }
            let seconds = date.timeIntervalSince1970
            require(seconds.isFinite, "\(shown(raw)) → \(seconds)")
            let written = parser.iso8601(date)
            guard let year = Int(written.prefix(4)), (1900...2200).contains(year) else { continue }
            switch parser.parse(written) {
            case .success(let again):
                require(
                    again.timeIntervalSince1970 == seconds.rounded(.down),
                    "\(shown(raw)) → \(written) (\(seconds)) → \(again.timeIntervalSince1970) in \(parser.timeZone.identifier): not idempotent"
                )
            case .failure(let refusal):
                require(false, "\(shown(raw)) → \(written) in \(parser.timeZone.identifier), which is refused: \(refusal)")
            }
        }
    }

    private static let parsers = [
        TimestampParser(timeZone: TimeZone(identifier: "Asia/Shanghai")!),
        TimestampParser(timeZone: TimeZone(identifier: "America/New_York")!),
    ]
}
