/// virsh's table layout (vshTable): a leading space, columns padded to their widest cell and
/// separated by three spaces, the last column unpadded, a dashed rule two longer than the
/// widest line, and a blank line after. Widths count characters (a name with `é` is padded as
/// one column, not two bytes); each cell's is counted once, and the text is built as bytes.
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
        let lines = [header] + rows
        let counts = lines.map { $0.map(\.count) }
        let widths = header.indices.map { column in counts.map { $0[column] }.max() ?? 0 }
        let total = 1 + widths.reduce(0, +) + 3 * (widths.count - 1)
        var out: [UInt8] = []
        out.reserveCapacity((total + 1) * (lines.count + 1))
        func line(_ index: Int) {
            for (column, cell) in lines[index].enumerated() {
                out.append(contentsOf: column == 0 ? [0x20] : [0x20, 0x20, 0x20])
                out.append(contentsOf: cell.utf8)
                if column < widths.count - 1 {
                    out.append(contentsOf: repeatElement(0x20, count: widths[column] - counts[index][column]))
                }
            }
            out.append(0x0A)
        }
        line(0)
        out.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: total + 2))
        out.append(0x0A)
        for index in 1..<lines.count { line(index) }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
