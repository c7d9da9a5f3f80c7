/// The forms `crmbridge health --format` prints.
package enum HealthFormat: String, Sendable, CaseIterable {
    case text, json, prometheus, html
}

extension HealthReport {
    /// Text and HTML are for people, in `language`; JSON and Prometheus are the same in any.
    package func rendered(as format: HealthFormat, in language: Language) -> String {
        switch format {
        case .text: text(language.strings)
        case .json: json
        case .prometheus: prometheus
        case .html: html(language.strings)
        }
    }
}
