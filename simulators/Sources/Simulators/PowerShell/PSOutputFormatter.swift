/// What powershell.exe prints for the objects left in the output stream (Out-Default, much
/// simplified): strings and scalars one per line, objects as `Name : value` lists; lines end in CRLF.
public enum PSOutputFormatter {
    /// The most characters written (hostile scripts cannot make it explode).
    public static let maxCharacters = 1 << 24

    /// The stdout text for `values`.
    public static func render(_ values: [PSValue]) -> String {
        var out = ""
        render(values, into: &out)
        return out
    }

    private static func render(_ values: [PSValue], into out: inout String) {
        for value in values where out.utf8.count < maxCharacters {
            switch value {
            case .null: continue
            case .object(let object): out += list(object.properties)
            case .hashtable(let entries): out += list(entries)
            case .array(let elements), .wrappedArray(let elements): render(elements, into: &out)
            default: out += value.text + "\r\n"
            }
        }
    }

    private static func list(_ properties: [PSProperty]) -> String {
        let width = properties.map(\.name.count).max() ?? 0
        var out = "\r\n"
        for property in properties {
            out += property.name + String(repeating: " ", count: width - property.name.count) + " : " + property.value.text + "\r\n"
        }
        return out + "\r\n"
    }
}
