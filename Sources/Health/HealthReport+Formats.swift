/// The forms `crmbridge health --format` prints.
public enum HealthFormat: String, Sendable, CaseIterable {
    case text, json, prometheus, html
}

extension HealthReport {
    public func rendered(as format: HealthFormat) -> String {
        switch format {
        case .text: text
        case .json: json
        case .prometheus: prometheus
        case .html: html
        }
    }
}
