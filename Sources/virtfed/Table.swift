/// virsh's table layout (vshTable): a leading space, columns padded to their widest cell and
/// separated by three spaces, the last column unpadded, a dashed rule two longer than the
/// widest line, and a blank line after.
struct Table {
    let header: [String]
    var rows: [[String]] = []

    init(_ header: String...) {
        self.header = header
    }

    mutating func add(_ row: String...) {
        rows.append(row)
    }

    var rendered: String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (column, cell) in cells.enumerated() {
                text += column == 0 ? " " : "   "
                text += column == cells.count - 1 ? cell : cell.padding(to: widths[column])
            }
            return text
        }
        let total = 1 + widths.reduce(0, +) + 3 * (widths.count - 1)
        var lines = [line(header), String(repeating: "-", count: total + 2)]
        lines += rows.map(line)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
