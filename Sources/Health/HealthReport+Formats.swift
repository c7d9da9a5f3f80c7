/// The forms `crmbridge health --format` prints.
package enum HealthFormat: String, Sendable, CaseIterable {
    case text, json, prometheus, html
}

extension HealthReport {
    package func rendered(as format: HealthFormat) -> String {
        switch format {
        case .text: text
        case .json: json
        case .prometheus: prometheus
        case .html: html
        }
    }
}
