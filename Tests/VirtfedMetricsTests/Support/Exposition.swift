/// The samples of a text exposition, read back for assertions (label values unescaped), and
/// its `# TYPE` lines, refusing a sample outside its family's block. Not a full validator: the integration tests hand the daemon's output to
/// promtool and to prometheus_client's parser for that.
struct Exposition {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]

    init(_ bytes: [UInt8]) throws {
        var family: String?
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, types[String(parts[2])] == nil else { throw Malformed(line: String(line)) }
                types[String(parts[2])] = String(parts[3])
                family = String(parts[2])
            } else if !line.hasPrefix("#") {
                let sample = try Self.sample(Array(line))
                // Every sample sits in its family's block, right after that family's TYPE line.
                guard let family, [family, family + "_bucket", family + "_sum", family + "_count"].contains(sample.name) else {
                    throw Malformed(line: "outside its family's block: " + line)
                }
                samples.append(sample)
            }
        }
    }

    struct Malformed: Error { var line: String }

    private static func sample(_ line: [Character]) throws -> Sample {
        var index = 0
        var name = ""
        while index < line.count, line[index] != "{", line[index] != " " { name.append(line[index]); index += 1 }
        var labels: [String: String] = [:]
        if index < line.count, line[index] == "{" {
            index += 1
            while index < line.count, line[index] != "}" {
                var key = ""
                while index < line.count, line[index] != "=" { key.append(line[index]); index += 1 }
                guard index + 1 < line.count, line[index + 1] == "\"" else { throw Malformed(line: String(line)) }
                index += 2
                var value = ""
                while index < line.count, line[index] != "\"" {
                    if line[index] == "\\", index + 1 < line.count {
                        index += 1
                        value.append(line[index] == "n" ? "\n" : line[index])
                    } else {
                        value.append(line[index])
                    }
                    index += 1
                }
                guard labels.updateValue(value, forKey: key) == nil else { throw Malformed(line: String(line)) }
                index += 1
                if index < line.count, line[index] == "," { index += 1 }
            }
            index += 1
        }
        guard index < line.count, line[index] == " ", let value = Double(String(line[(index + 1)...])) else {
            throw Malformed(line: String(line))
        }
        return Sample(name: name, labels: labels, value: value)
    }

    /// Samples of one metric, optionally only those whose labels include `matching`.
    func samples(_ name: String, _ matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The value of the one sample of `name` matching `labels`; nil if there is not exactly one.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = samples(name, labels)
        return found.count == 1 ? found[0].value : nil
    }
}
