import Foundation
import Testing

/// The ready-to-use monitoring files in config/: promtool accepts the scrape config, and every
/// query of the Grafana dashboard is valid PromQL over metrics the daemon exposes.
@Suite("config/prometheus.yml and config/grafana-dashboard.json")
struct MonitoringConfigTests {
    @Test func promtoolAcceptsTheScrapeConfig() throws {
        let result = try runCommand("/usr/bin/promtool", ["check", "config", Paths.root.appendingPathComponent("config/prometheus.yml").path])
        #expect(result.status == 0, "\(result)")
    }

    /// Every query of the dashboard.
    static func dashboardExpressions() throws -> [String] {
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("config/grafana-dashboard.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        return panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
    }

    /// The metric names a query reads (`virtfed_…`, `libvirt_…`).
    static func metricNames(in expression: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "\\b(?:virtfed|libvirt)_[a-z0-9_]+")
        let range = NSRange(expression.startIndex..., in: expression)
        return pattern.matches(in: expression, range: range).compactMap { Range($0.range, in: expression).map { String(expression[$0]) } }
    }

    @Test func everyDashboardQueryIsPromQLOverVirtfedMetrics() throws {
        let expressions = try Self.dashboardExpressions()
        #expect(expressions.count >= 12)
        for expression in expressions {
            #expect(!Self.metricNames(in: expression).isEmpty, "\(expression)")
        }
        // promtool parses PromQL when it checks recording rules: one rule per query.
        let directory = try scratchDirectory("dash")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("rules.yml").path
        let body = expressions.enumerated().map { index, expression in
            "      - record: dashboard:query\(index)\n        expr: '\(expression.replacingOccurrences(of: "'", with: "''"))'"
        }.joined(separator: "\n")
        try "groups:\n  - name: dashboard\n    rules:\n\(body)\n".write(toFile: rules, atomically: true, encoding: .utf8)
        let result = try runCommand("/usr/bin/promtool", ["check", "rules", rules])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("SUCCESS: \(expressions.count) rules found"), "\(result)")
    }
}
