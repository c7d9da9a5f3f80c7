import Foundation

/// `scan.record_url`: where a system shows one customer's record, `{SYSTEM_id}` standing for
/// that system's own customer number (`https://crm.example.com/customers/{crm_id}`).
package struct RecordURL: Sendable, Equatable {
    package var template: String
    /// The system whose number the address takes.
    package var system: String
    private var placeholder: String

    /// Nil when the template names no `{SYSTEM_id}`.
    package init?(_ template: String) {
        guard let open = template.firstIndex(of: "{"), let close = template[open...].firstIndex(of: "}") else { return nil }
        let inner = template[template.index(after: open)..<close]
        guard inner.hasSuffix("_id"), inner.count > 3 else { return nil }
        self.template = template
        system = String(inner.dropLast(3))
        placeholder = String(template[open...close])
    }

    /// The record's address; the number percent-encoded, since ids carry `/`, `#` or Chinese text.
    package func address(of id: String) -> String {
        let encoded = id.addingPercentEncoding(
            withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#")))
        return template.replacingOccurrences(of: placeholder, with: encoded ?? id)
    }
}
