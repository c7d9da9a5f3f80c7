import Foundation
import Transform

extension HealthReport {
    /// The dashboard: one self-contained HTML file (inline CSS and SVG, no script, no network),
    /// so that it can be mailed, archived or opened from a file share as it is.
    /// The page stays `zh-CN` in English too: its names and companies are Chinese, and the
    /// language picks their glyphs.
    package func html(_ strings: Strings) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escapeHTML(strings.htmlTitle(latestBatch?.pipeline ?? strings.htmlStore)))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <header>
          <div>
            <h1>\(strings.htmlHeading)</h1>
            <p class="sub">\(escapeHTML(headline(strings)))</p>
          </div>
          <div class="status \(status.rawValue)" data-status="\(status.rawValue)">\(strings.statusHeadline(status))</div>
        </header>
        <main>
        <section class="cards">
        \(metrics.map { card($0, strings) }.joined(separator: "\n"))
        \(customersCard(strings))
        </section>
        <section class="panel">
          <h2>\(strings.htmlTrend) <span class="hint">\(strings.htmlTrendHint(trend.count))</span>\
        <span class="legend"><i class="key warn"></i>\(strings.status(.warn)) <i class="key fail"></i>\(strings.status(.fail))</span></h2>
          <div class="charts">
        \(MetricName.allCases.map { chart($0, strings) }.joined(separator: "\n"))
          </div>
        </section>
        \(anomalyPanel(strings))
        <div class="columns">
        <section class="panel">
          <h2>\(strings.htmlSystems) <span class="hint">\(strings.htmlLatestBatch)</span></h2>
          \(systemTable(strings))
        </section>
        <section class="panel">
          <h2>\(strings.htmlRejects) <span class="hint">\(strings.htmlLatestBatch)</span></h2>
          \(rejectTable(strings))
        </section>
        </div>
        <section class="panel">
          <h2>\(strings.htmlFields) <span class="hint">\(strings.htmlFieldsHint)</span></h2>
          \(fieldBars(strings))
        </section>
        <div class="columns">
        <section class="panel">
          <h2>\(strings.htmlOwners) <span class="hint">\(strings.htmlOwnersHint)</span></h2>
          \(ownerTable(strings))
        </section>
        <section class="panel">
          <h2>\(strings.htmlGapScan) <span class="hint">\(strings.htmlGapScanHint)</span></h2>
          \(gapScanPanel(strings))
        </section>
        </div>
        </main>
        <footer>
          <p>\(strings.htmlDefinitions(String(rowsWithoutUpdatedAt)))</p>
          <p>\(escapeHTML(strings.htmlGenerated(generatedAt, store)))</p>
        </footer>
        </body>
        </html>

        """
    }

    private func headline(_ strings: Strings) -> String {
        guard let batch = latestBatch else { return strings.htmlNoBatchHeadline(String(customers)) }
        return strings.htmlHeadline(batch.pipeline, batch.asOf, batch.batchID)
    }

    private func card(_ metric: MetricResult, _ strings: Strings) -> String {
        let comparison = metric.name.higherIsBetter ? "&lt;" : "&gt;"
        let limits = [
            metric.warn.map { "\(strings.status(.warn)) \(comparison) \(percent($0))" },
            metric.fail.map { "\(strings.status(.fail)) \(comparison) \(percent($0))" },
        ]
        .compactMap { $0 }
        let scope = metric.name == .completeness ? strings.htmlScopeCompleteness(customers) : strings.htmlScopeBatch
        return """
              <div class="card \(metric.status.rawValue)" data-metric="\(metric.name.rawValue)" data-value="\(metric.value)" data-status="\(metric.status.rawValue)">
                <div class="label">\(strings.metric(metric.name))</div>
                <div class="value">\(percent(metric.value))</div>
                <div class="detail">\(String(format: "%.4f", metric.value)) \(scope)</div>
                <div class="limits"><span class="badge \(metric.status.rawValue)">\(strings.status(metric.status))</span> \(limits.isEmpty ? strings.htmlNoThresholds : limits.joined(separator: " · "))</div>
              </div>
            """
    }

    private func customersCard(_ strings: Strings) -> String {
        """
              <div class="card neutral" data-metric="customers" data-value="\(customers)">
                <div class="label">\(strings.htmlMasterCustomers)</div>
                <div class="value">\(grouped(customers))</div>
                <div class="detail">\(strings.htmlCustomersDetail(grouped(completeCustomers), percent(cellCompleteness)))</div>
                <div class="limits">\(strings.htmlRejectsInBatch(grouped(rejectsByReason.reduce(0) { $0 + $1.count })))</div>
              </div>
        """
    }

    // MARK: - Trend charts (inline SVG)

    private func chart(_ name: MetricName, _ strings: Strings) -> String {
        let values: [Double?] = trend.map {
            switch name {
            case .completeness: $0.completeness
            case .idMatch: $0.idMatch
            case .syncLag24h: $0.syncLag24h
            }
        }
        let metric = metric(name)
        let width = 360.0, height = 170.0, left = 44.0, right = 12.0, top = 12.0, bottom = 26.0
        let present = values.compactMap { $0 }
        guard !present.isEmpty else {
            return """
                    <figure class="chart" data-metric="\(name.rawValue)"><figcaption>\(strings.metric(name))</figcaption>\
                <div class="empty">\(strings.htmlNoTrend)</div></figure>
                """
        }
        // The axis spans the values and the limits in four round steps: small changes stay visible.
        let span = present + [metric?.warn, metric?.fail].compactMap { $0 }
        let (low, high) = Self.axis(min: span.min()!, max: span.max()!)
        func x(_ index: Int) -> Double {
            values.count == 1
                ? left + (width - left - right) / 2
                : left + Double(index) * (width - left - right) / Double(values.count - 1)
        }
        func y(_ value: Double) -> Double { top + (high - value) / (high - low) * (height - top - bottom) }
        var svg =
            "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(strings.htmlTrendLabel(strings.metric(name)))\">"
        for step in 0...4 {
            let value = low + (high - low) * Double(step) / 4
            svg += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(f(y(value)))\" y2=\"\(f(y(value)))\"/>"
            svg +=
                "<text class=\"axis\" x=\"\(left - 6)\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(percent(value, digits: high - low < 0.2 ? 1 : 0))</text>"
        }
        for (limit, kind) in [(metric?.warn, "warn"), (metric?.fail, "fail")] {
            guard let limit, limit >= low, limit <= high else { continue }
            svg +=
                "<line class=\"limit \(kind)\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(f(y(limit)))\" y2=\"\(f(y(limit)))\"/>"
        }
        svg += anomalyBand(name, x: x, y: y, axis: low...high, strings: strings)
        let points = values.enumerated().compactMap { index, value in value.map { (x(index), y($0), $0, index) } }
        if points.count > 1 {
            let path = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
            let area = "\(f(points.first!.0)),\(f(height - bottom)) " + path + " \(f(points.last!.0)),\(f(height - bottom))"
            svg += "<polygon class=\"area\" points=\"\(area)\"/><polyline class=\"line\" points=\"\(path)\"/>"
        }
        for point in points {
            let status = MetricResult(name: name, value: point.2, threshold: Threshold(warn: metric?.warn, fail: metric?.fail))
                .status
            svg +=
                "<circle class=\"dot \(status.rawValue)\" cx=\"\(f(point.0))\" cy=\"\(f(point.1))\" r=\"3.5\">"
                + "<title>\(escapeHTML(trend[point.3].asOf)): \(percent(point.2))</title></circle>"
        }
        let labelEvery = max(1, Int((Double(values.count) / 6).rounded(.up)))
        for index in values.indices where index % labelEvery == 0 || index == values.count - 1 {
            svg +=
                "<text class=\"axis\" x=\"\(f(x(index)))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(escapeHTML(shortDate(trend[index].asOf)))</text>"
        }
        svg += "</svg>"
        return """
                <figure class="chart" data-metric="\(name.rawValue)"><figcaption>\(strings.metric(name)) \
            <span class="now">\(present.last.map { percent($0) } ?? "")</span></figcaption>\(svg)</figure>
            """
    }

    /// Four ticks of a round step (2.5 % to 25 %) covering `min...max` within 0...1.
    static func axis(min: Double, max: Double) -> (Double, Double) {
        let step = [0.025, 0.05, 0.1, 0.2, 0.25].first { $0 * 4 >= (max - min) * 1.1 } ?? 0.25
        var low = ((min - step * 0.2) / step).rounded(.down) * step
        low = Swift.min(Swift.max(0, low), 1 - 4 * step)
        return (low, low + 4 * step)
    }

    // MARK: - Tables

    private func systemTable(_ strings: Strings) -> String {
        guard !systems.isEmpty else { return "<p class=\"empty\">\(strings.htmlNoSystems)</p>" }
        func judged(_ name: MetricName, _ value: Double?) -> String {
            guard let value else { return "<td class=\"num muted\">–</td>" }
            let limit = metric(name)
            let status = MetricResult(name: name, value: value, threshold: Threshold(warn: limit?.warn, fail: limit?.fail)).status
            return "<td class=\"num cell-\(status.rawValue)\">\(percent(value))</td>"
        }
        let rows = systems.map { system in
            """
                <tr data-system="\(escapeHTML(system.system))"><th>\(escapeHTML(system.system))</th>\
            \(judged(.idMatch, system.idMatch))\(judged(.syncLag24h, system.syncLag24h))\
            <td class="num">\(grouped(system.accepted))</td><td class="num">\(grouped(system.withoutUpdatedAt))</td>\
            <td class="num">\(grouped(system.customers))</td>\(judged(.completeness, system.completeness))</tr>
            """
        }
        return """
            <table class="grid-table"><thead><tr>\(headings(strings.htmlSystemColumns, numeric: 1...))</tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody></table>
            """
    }

    private func rejectTable(_ strings: Strings) -> String {
        guard let top = rejectsByReason.first?.count else { return "<p class=\"empty\">\(strings.htmlNoRejects)</p>" }
        let totals = Dictionary(uniqueKeysWithValues: rejectsTotal.map { ($0.reason, $0.count) })
        let rows = rejectsByReason.map { reject in
            """
                <tr data-reason="\(escapeHTML(reject.reason))"><th><code>\(escapeHTML(reject.reason))</code>\(strings.rejectReason(reject.reason).map { " " + escapeHTML($0) } ?? "")</th>\
            <td class="bar-cell"><span class="bar reject" style="width:\(f(Double(reject.count) / Double(top) * 100))%"></span></td>\
            <td class="num">\(grouped(reject.count))</td><td class="num muted">\(grouped(totals[reject.reason] ?? reject.count))</td></tr>
            """
        }
        return """
            <table class="grid-table"><thead><tr>\(headings([strings.htmlRejectColumns[0], ""] + strings.htmlRejectColumns.dropFirst(), numeric: 2...))</tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody></table>
            """
    }

    /// The 20 lowest scores: the owners a manager talks to first.
    private func ownerTable(_ strings: Strings) -> String {
        guard !owners.isEmpty else { return "<p class=\"empty\">\(strings.htmlNoOwners)</p>" }
        let rows = owners.prefix(20).map { owner in
            let closed = owner.gapsListedBefore.map { "\(grouped(owner.gapsClosed ?? 0)) / \(grouped($0))" } ?? "–"
            return """
                    <tr data-owner="\(escapeHTML(owner.owner))"><th>\(escapeHTML(owner.owner.isEmpty ? strings.noOwner : owner.owner))</th>\
                <td class="num">\(f(owner.score))</td><td class="num">\(grouped(owner.customers))</td>\
                <td class="num">\(percent(owner.completeShare))</td><td class="num">\(grouped(owner.rejects))</td>\
                <td class="num">\(grouped(owner.gapsOpen))</td><td class="num">\(closed)</td></tr>
                """
        }
        return """
            <table class="grid-table"><thead><tr>\(headings(strings.htmlOwnerColumns, numeric: 1...))</tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody></table>
            """
    }

    private func gapScanPanel(_ strings: Strings) -> String {
        guard let scan = latestGapScan else {
            return "<p class=\"empty\">\(strings.htmlNoGapScan)</p>"
        }
        let followUp =
            scan.previousListed.map { listed in
                """
                <p class="sub" data-closed="\(scan.closed ?? 0)">\
                \(strings.htmlGapFollowUp(grouped(listed), grouped(scan.closed ?? 0), grouped(scan.closedWithin48h ?? 0)))</p>
                """
            } ?? ""
        let rows = scan.bySalesGroup.map { group in
            """
            <tr data-group="\(escapeHTML(group.salesGroup))"><th>\(escapeHTML(group.salesGroup.isEmpty ? strings.noSalesGroup : group.salesGroup))</th>\
            <td class="num">\(grouped(group.customers))</td></tr>
            """
        }
        return """
            <p class="sub" data-gaps="\(scan.customers)">\(escapeHTML(strings.htmlGapList(grouped(scan.customers), scan.scannedAt)))</p>
            \(followUp)
            <table class="grid-table"><thead><tr>\(headings(strings.htmlGapColumns, numeric: 1...))</tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody></table>
            """
    }

    private func fieldBars(_ strings: Strings) -> String {
        let limit = metric(.completeness)
        let rows = fields.map { field in
            let status = MetricResult(
                name: .completeness, value: field.ratio,
                threshold: Threshold(warn: limit?.warn, fail: limit?.fail)
            ).status
            return """
                    <div class="field" data-field="\(escapeHTML(field.field))" data-value="\(field.ratio)">\
                <span class="name">\(escapeHTML(CanonicalField(rawValue: field.field).map(strings.field) ?? field.field))</span>\
                <span class="track"><span class="bar \(status.rawValue)" style="width:\(f(field.ratio * 100))%"></span></span>\
                <span class="num">\(percent(field.ratio))</span><span class="num muted">\(strings.htmlMissing(grouped(customers - field.filled)))</span></div>
                """
        }
        return "<div class=\"fields\">\n\(rows.joined(separator: "\n"))\n</div>"
    }

    /// A table's header cells; those at `numeric` positions right-aligned like their numbers.
    private func headings(_ titles: [String], numeric: PartialRangeFrom<Int>) -> String {
        titles.enumerated().map { index, title in
            numeric.contains(index) ? "<th class=\"num\">\(escapeHTML(title))</th>" : "<th>\(escapeHTML(title))</th>"
        }.joined()
    }

    // MARK: - Formatting

    private func percent(_ value: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f%%", value * 100) }
    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
    private func grouped(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, char) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 && char != "-" { out += "," }
            out.append(char)
        }
        return out
    }
    /// `2026-11-22T03:00:00+08:00` → `11-22`.
    private func shortDate(_ iso: String) -> String {
        iso.count >= 10 ? String(iso.dropFirst(5).prefix(5)) : iso
    }

    private static let css = """
        :root { --ok: #1f8a4c; --ok-bg: #e8f5ee; --warn: #b26a00; --warn-bg: #fff4e0; --fail: #c62828; --fail-bg: #fdecea;
          --ink: #1d2433; --muted: #6b7385; --line: #e3e6ee; --panel: #ffffff; --page: #f4f6fa; --accent: #3558d6; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--page); color: var(--ink);
          font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
        header { display: flex; justify-content: space-between; align-items: center; padding: 22px 32px;
          background: #1d2433; color: #fff; }
        h1 { margin: 0; font-size: 22px; font-weight: 600; letter-spacing: .2px; }
        .sub { margin: 4px 0 0; color: #b8c0d4; font-size: 13px; }
        .status { padding: 8px 18px; border-radius: 999px; font-weight: 700; letter-spacing: 1px; font-size: 14px; }
        .status.ok { background: var(--ok); } .status.warn { background: var(--warn); } .status.fail { background: var(--fail); }
        main { padding: 24px 32px; max-width: 1280px; margin: 0 auto; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 16px; margin-bottom: 20px; }
        .card { background: var(--panel); border-radius: 10px; padding: 16px 18px; border-top: 5px solid var(--line);
          box-shadow: 0 1px 2px rgba(20, 30, 60, .08); }
        .card.ok { border-top-color: var(--ok); } .card.warn { border-top-color: var(--warn); background: linear-gradient(var(--warn-bg), #fff 70%); }
        .card.fail { border-top-color: var(--fail); background: linear-gradient(var(--fail-bg), #fff 70%); }
        .card.neutral { border-top-color: var(--accent); }
        .label { text-transform: uppercase; font-size: 12px; letter-spacing: .8px; color: var(--muted); font-weight: 600; }
        .value { font-size: 38px; font-weight: 700; margin: 4px 0 2px; font-variant-numeric: tabular-nums; }
        .card.ok .value { color: var(--ok); } .card.warn .value { color: var(--warn); } .card.fail .value { color: var(--fail); }
        .detail { color: var(--muted); font-size: 13px; }
        .limits { margin-top: 10px; font-size: 12px; color: var(--muted); }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 4px; font-weight: 700; text-transform: uppercase;
          font-size: 11px; margin-right: 6px; }
        .badge.ok { background: var(--ok-bg); color: var(--ok); } .badge.warn { background: var(--warn-bg); color: var(--warn); }
        .badge.fail { background: var(--fail-bg); color: var(--fail); }
        .panel { background: var(--panel); border-radius: 10px; padding: 16px 20px 18px; margin-bottom: 20px;
          box-shadow: 0 1px 2px rgba(20, 30, 60, .08); }
        h2 { font-size: 15px; margin: 0 0 12px; font-weight: 600; }
        .legend { float: right; font-size: 12px; font-weight: 400; color: var(--muted); }
        .key { display: inline-block; width: 18px; border-top: 2px dashed; margin: 0 5px 3px 12px; vertical-align: middle; }
        .key.warn { border-color: var(--warn); } .key.fail { border-color: var(--fail); }
        .hint { color: var(--muted); font-weight: 400; font-size: 12px; margin-left: 6px; }
        .charts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 18px; }
        .chart { margin: 0; } .chart figcaption { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
        .chart .now { float: right; color: var(--muted); font-weight: 500; }
        svg { width: 100%; height: auto; display: block; }
        svg .grid { stroke: var(--line); stroke-width: 1; }
        svg .axis { fill: var(--muted); font-size: 10px; }
        svg .limit { stroke-width: 1.2; stroke-dasharray: 5 4; }
        svg .limit.warn { stroke: var(--warn); } svg .limit.fail { stroke: var(--fail); }
        svg .line { fill: none; stroke: var(--accent); stroke-width: 2.2; stroke-linejoin: round; }
        svg .area { fill: var(--accent); opacity: .08; }
        svg .dot { stroke: #fff; stroke-width: 1.5; } svg .dot.ok { fill: var(--ok); } svg .dot.warn { fill: var(--warn); }
        svg .dot.fail { fill: var(--fail); }
        .columns { display: grid; grid-template-columns: 3fr 2fr; gap: 20px; }
        .grid-table { width: 100%; border-collapse: collapse; font-size: 13px; }
        .grid-table th, .grid-table td { padding: 7px 8px; border-bottom: 1px solid var(--line); text-align: left; }
        .grid-table thead th { color: var(--muted); font-weight: 600; font-size: 12px; }
        .grid-table tbody th { font-weight: 600; }
        .num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .muted { color: var(--muted); }
        .cell-ok { color: var(--ok); } .cell-warn { color: var(--warn); background: var(--warn-bg); font-weight: 600; }
        .cell-fail { color: var(--fail); background: var(--fail-bg); font-weight: 600; }
        .bar-cell { width: 40%; }
        .bar { display: block; height: 10px; border-radius: 5px; min-width: 2px; }
        .bar.reject { background: #8a94ad; } .bar.ok { background: var(--ok); } .bar.warn { background: var(--warn); }
        .bar.fail { background: var(--fail); }
        .fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 32px; row-gap: 6px; }
        .field { display: grid; grid-template-columns: 150px 1fr 60px 90px; align-items: center; gap: 10px; font-size: 13px; }
        .field .name { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px; }
        .track { background: #edf0f5; border-radius: 5px; height: 10px; display: block; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px; }
        .empty { color: var(--muted); font-style: italic; padding: 12px 0; }
        footer { max-width: 1280px; margin: 0 auto; padding: 0 32px 28px; color: var(--muted); font-size: 12px; }
        @media (max-width: 900px) { .charts, .columns, .fields { grid-template-columns: 1fr; } }
        """
}
