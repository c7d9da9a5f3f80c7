import Foundation

/// A headline metric's baseline band at one trend point, as the dashboard shades it.
package struct AnomalyBand: Sendable, Codable, Equatable {
    package var metric: String
    package var batchID: String
    package var median: Double
    package var low: Double
    package var high: Double
    /// The batch's value left the band the way that is bad news for the metric.
    package var anomaly: Bool
}

extension HealthReport {
    /// Judges every batch of `history` (oldest first; the trend's batches are its last ones)
    /// against the batches before it: the latest one's judgement, and the trend's bands.
    mutating func judge(_ history: [BatchFigures], options: AnomalyOptions) {
        let detector = AnomalyDetector(options: options)
        let trendIDs = Set(trend.map(\.batchID))
        let judged = detector.backtest(history)
        anomalies = judged.last
        anomalyBands = judged.filter { trendIDs.contains($0.batchID) }.flatMap { batch in
            batch.judgements.compactMap { judgement -> AnomalyBand? in
                guard MetricName(rawValue: judgement.metric) != nil, let median = judgement.median, let low = judgement.low,
                    let high = judgement.high
                else { return nil }
                return AnomalyBand(
                    metric: judgement.metric, batchID: batch.batchID, median: median, low: low, high: high,
                    anomaly: judgement.state == .anomaly)
            }
        }
    }

    /// The baseline band of `name` behind its trend line (clipped to the chart's axis), and a
    /// ring around each point that left it: one polygon, from the bands' upper edges left to
    /// right and their lower edges back.
    func anomalyBand(
        _ name: MetricName, x: (Int) -> Double, y: (Double) -> Double, axis: ClosedRange<Double>, strings: Strings
    ) -> String {
        let points = trend.indices.compactMap { index -> (x: Double, band: AnomalyBand)? in
            anomalyBands.first { $0.metric == name.rawValue && $0.batchID == trend[index].batchID }.map { (x(index), $0) }
        }
        guard !points.isEmpty else { return "" }
        func clipped(_ value: Double) -> Double { min(max(value, axis.lowerBound), axis.upperBound) }
        func point(_ x: Double, _ value: Double) -> String { String(format: "%.1f,%.1f", x, y(clipped(value))) }
        var svg = ""
        if points.count >= 2 {
            let outline =
                points.map { point($0.x, $0.band.high) } + points.reversed().map { point($0.x, $0.band.low) }
            svg +=
                "<polygon class=\"band\" fill=\"#3558d6\" fill-opacity=\"0.1\" points=\"\(outline.joined(separator: " "))\">"
                + "<title>usual range: the median of the batches before ± the anomaly band</title></polygon>"
        }
        let values = Dictionary(
            trend.map { ($0.batchID, [$0.completeness, $0.idMatch, $0.syncLag24h]) }, uniquingKeysWith: { first, _ in first })
        let slot = MetricName.allCases.firstIndex(of: name) ?? 0
        for (x, band) in points where band.anomaly {
            guard let value = values[band.batchID]?[slot] ?? nil else { continue }
            svg +=
                "<circle class=\"anomaly\" data-batch=\"\(band.batchID)\" cx=\"\(String(format: "%.1f", x))\" "
                + "cy=\"\(String(format: "%.1f", y(clipped(value))))\" r=\"7\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"2\">"
                + "<title>\(escapeHTML(strings.anomalyUsually(String(format: "%.4f", band.median))))</title></circle>"
        }
        return svg
    }

    /// The dashboard's panel: the latest batch against its history.
    func anomalyPanel(_ strings: Strings) -> String {
        guard let anomalies else { return "" }
        let rows = anomalies.anomalies.map { judgement in
            "<li data-metric=\"\(escapeHTML(judgement.metric))\"><code>\(escapeHTML(judgement.line(strings)))</code></li>"
        }
        let body =
            rows.isEmpty ? "<p class=\"empty\">\(escapeHTML(anomalies.summary(strings)))</p>" : "<ul>\(rows.joined())</ul>"
        return """
            <section class="panel" data-anomalies="\(anomalies.anomalies.count)">
              <h2>\(escapeHTML(strings.anomaliesTitle)) <span class="hint">\(escapeHTML(strings.anomaliesHint))</span></h2>
              \(body)
            </section>
            """
    }

    /// The text report's line.
    func anomalyLine(_ strings: Strings) -> String? {
        anomalies.map { "  " + strings.labelled(strings.anomalies) + $0.summary(strings) }
    }
}

/// Text for HTML: the five characters that could end an attribute or start markup, escaped.
func escapeHTML(_ text: String) -> String {
    var out = ""
    for char in text {
        switch char {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(char)
        }
    }
    return out
}
