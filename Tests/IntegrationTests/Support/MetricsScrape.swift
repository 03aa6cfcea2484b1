import Foundation

/// One scrape of a daemon's `/metrics` with curl, checked by promtool and parsed by
/// prometheus_client (the real parsers), for assertions.
struct MetricsScrape {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var status: Int
    var seconds: Double
    var body: String
    var samples: [Sample] = []
    var families: [String: String] = [:]

    static let parser = Paths.root.appendingPathComponent("Tests/IntegrationTests/Peers/prometheus_parse.py").path

    /// GETs `url`; when it answers 200, runs `promtool check metrics` and the Python parser on the body.
    init(_ url: String, in directory: URL) throws {
        let file = directory.appendingPathComponent("scrape-\(UUID().uuidString.prefix(8)).txt").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let curl = try runCommand("/usr/bin/curl", ["-s", "-o", file, "-w", "%{http_code} %{time_total}", "--max-time", "10", url])
        let parts = curl.stdout.split(separator: " ")
        status = parts.first.flatMap { Int($0) } ?? 0
        seconds = parts.count > 1 ? Double(parts[1]) ?? .infinity : .infinity
        body = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        guard status == 200 else { return }
        let promtool = try runCommand("/bin/sh", ["-c", "promtool check metrics < '\(file)'"])
        guard promtool.status == 0 else { throw FleetError(message: "promtool check metrics refused the exposition:\n\(promtool)") }
        var parsed = try runCommand("/usr/bin/python3", [Self.parser, file])
        if parsed.status == 0 && parsed.stdout.isEmpty {
            // Seen once in CI under load: the parser ended with 0 and its output file read back
            // empty (the exposition had just passed promtool). One more run tells a harness
            // hiccup from a parser that prints nothing, which still fails below.
            parsed = try runCommand("/usr/bin/python3", [Self.parser, file])
        }
        guard parsed.status == 0, let object = try parsed.json() as? [String: Any],
              let samples = object["samples"] as? [[String: Any]] else {
            throw FleetError(message: "prometheus_client could not parse the exposition:\n\(parsed)")
        }
        families = object["families"] as? [String: String] ?? [:]
        self.samples = samples.map { sample in
            Sample(name: sample["name"] as? String ?? "", labels: sample["labels"] as? [String: String] ?? [:],
                   value: (sample["value"] as? Double) ?? (sample["value"] as? Int).map(Double.init) ?? .nan)
        }
    }

    func samples(_ name: String, _ matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The value of the one sample matching; nil unless exactly one matches.
    func value(_ name: String, _ matching: [String: String] = [:]) -> Double? {
        let found = samples(name, matching)
        return found.count == 1 ? found[0].value : nil
    }
}
