/// stderr as powershell.exe writes it when its output is redirected (`-EncodedCommand` over WinRM):
/// `#< CLIXML\r\n` and an `Objs` document with one `<S S="Error">` per line, each line ending in
/// `_x000D__x000A_`; control characters inside a line are written `_xHHHH_`.
public enum CLIXML {
    /// The progress record a real server writes when a module is loaded for the first time
    /// ("Preparing modules for first use.", as pywinrm users see it, diyan/pywinrm#245).
    static let moduleProgress = """
        <Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>\
        <MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI>\
        <PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>
        """

    /// The document for these error lines, after the module progress record when asked.
    public static func errorStream(_ lines: [String], moduleProgress: Bool = false) -> String {
        var xml = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
        if moduleProgress { xml += Self.moduleProgress }
        for line in lines { xml += "<S S=\"Error\">\(encode(line))_x000D__x000A_</S>" }
        return xml + "</Objs>"
    }

    /// XML-escapes `text` and writes control characters as `_xHHHH_`.
    static func encode(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "_x" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "_"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
