import Foundation
@testable import Simulators
import Testing

@Suite("PowerShell subset: parsing")
struct PowerShellParserTests {
    @Test("Every script of docs/scvmm-wire.md parses", arguments: [
        SCVMMScripts.inventory, SCVMMScripts.oneVM("6dbaf778-aab7-41d4-bdc8-11a2fe732a75"),
        SCVMMScripts.job("6dbaf778-aab7-41d4-bdc8-11a2fe732a75"),
    ] + SCVMMScripts.actionLines.values.map { SCVMMScripts.action($0, id: "6dbaf778-aab7-41d4-bdc8-11a2fe732a75") })
    func wireScriptsParse(_ script: String) throws {
        let statements = try PSParser.parse(script)
        #expect(statements.count >= 4)
        guard case .assignment(let name, _, _) = statements[0] else {
            Issue.record("the first statement is not an assignment: \(statements[0])")
            return
        }
        #expect(name == "ErrorActionPreference")
    }

    @Test("A calculated property parses to a hashtable whose Expression is a script block with a [string] cast")
    func calculatedProperty() throws {
        let statements = try PSParser.parse("$x | Select-Object Name, @{Name='S'; Expression={[string]$_.Status}}")
        guard case .pipeline(let pipeline) = statements.first, pipeline.elements.count == 2,
              case .command(let select) = pipeline.elements[1], case .value(.list(let items)) = select.arguments.first else {
            Issue.record("unexpected shape: \(statements)")
            return
        }
        #expect(select.name == "Select-Object")
        #expect(items.first == .constant(.string("Name")))
        guard case .hashtable(let entries) = items[1], case .pipeline(let value) = entries[1].value,
              case .expression(.scriptBlock(let block)) = value.elements.first else {
            Issue.record("unexpected calculated property: \(items[1])")
            return
        }
        #expect(entries.map(\.key) == ["Name", "Expression"])
        #expect(block.text == "[string]$_.Status")
        guard block.body.count == 1, case .pipeline(let inner) = block.body[0], inner.elements.count == 1 else {
            Issue.record("unexpected block body: \(block.body)")
            return
        }
        #expect(inner.elements[0] == .expression(.cast("string", .member(.variable("_"), "Status"))))
    }

    @Test("Single quotes: '' and the Unicode quotes U+2018–U+201B doubled stand for one; $ ` ; \" and newlines are literal")
    func singleQuotes() throws {
        let hostile = ["x'; Stop-SCVirtualMachine -VM $vm -Force; '", "a$b `c`n; \"d\"\r\nline2", "it\u{2019}s", "\u{2018}q\u{201B}", "$(Get-Foo)", "''"]
        for value in hostile {
            let statements = try PSParser.parse("$n = " + SCVMMScripts.quoted(value))
            #expect(statements.count == 1, "\(value)")
            guard case .assignment(_, .pipeline(let pipeline), _) = statements[0],
                  case .expression(.constant(.string(let parsed))) = pipeline.elements.first else {
                Issue.record("\(value) did not parse to one string: \(statements)")
                continue
            }
            #expect(parsed == value)
        }
    }

    @Test("Double quotes: backtick escapes, \"\" and $name / $(…) expansion parts")
    func doubleQuotes() throws {
        let statements = try PSParser.parse(#"$a = "x`t""y"" $name $(1)""#)
        guard case .assignment(_, .pipeline(let pipeline), _) = statements[0], case .expression(.expandable(let parts)) = pipeline.elements[0] else {
            Issue.record("\(statements)")
            return
        }
        #expect(parts.first == .literal("x\t\"y\" "))
        #expect(parts.contains(.variable("name")))
    }

    @Test("Statements split on newlines and ';'; comments and line continuations are skipped")
    func separators() throws {
        let statements = try PSParser.parse("# comment\n$a = 1; $b = 2 <# block #>\r\nWrite-Output `\n  $a\n\n")
        #expect(statements.count == 3)
    }

    @Test("Parse errors are reported, never crash", arguments: [
        "if ($a) { 'x'", "'unterminated", "\"unterminated", "Get-X | ", "@{ a = 1", "$a = (1", "foreach ($x in $y) { }",
        "$x.ToString()", "[string", "| Get-X", "}", "$", "@{ = 1 }", "if ($x) 'y'",
    ])
    func parseErrors(_ script: String) {
        #expect(throws: PSParseError.self) { try PSParser.parse(script) }
    }

    @Test("Hostile input is bounded: deep nesting and huge scripts are refused")
    func bounds() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(throws: PSParseError.self) { try PSParser.parse(deep) }
        let blocks = String(repeating: "@(", count: 5_000) + String(repeating: ")", count: 5_000)
        #expect(throws: PSParseError.self) { try PSParser.parse(blocks) }
        let huge = String(repeating: "a", count: PSParser.maxCharacters + 1)
        #expect(throws: PSParseError.self) { try PSParser.parse(huge) }
    }

    @Test("powershell command lines: pywinrm's one-line form and virtfed's Command + Arguments, case-insensitive")
    func commandLines() {
        let encoded = PowerShellCommandLine.encode("Get-SCVMHost | ConvertTo-Json")
        #expect(PowerShellCommandLine(command: "powershell -encodedcommand \(encoded)", arguments: []) == .powershell(script: "Get-SCVMHost | ConvertTo-Json"))
        #expect(PowerShellCommandLine(command: "powershell", arguments: ["-NoProfile -NonInteractive -EncodedCommand \(encoded)"])
                == .powershell(script: "Get-SCVMHost | ConvertTo-Json"))
        #expect(PowerShellCommandLine(command: "PowerShell.exe", arguments: ["-NOPROFILE", "-enc", encoded]) == .powershell(script: "Get-SCVMHost | ConvertTo-Json"))
        // pywinrm's own fixture: Write-Error "Error"
        #expect(PowerShellCommandLine(command: "powershell -encodedcommand VwByAGkAdABlAC0ARQByAHIAbwByACAAIgBFAHIAcgBvAHIAIgA=", arguments: [])
                == .powershell(script: "Write-Error \"Error\""))
        #expect(PowerShellCommandLine(command: "ipconfig", arguments: ["/all"]) == .cmd("ipconfig /all"))
        if case .invalid = PowerShellCommandLine(command: "powershell -EncodedCommand ***", arguments: []) {} else {
            Issue.record("bad base64 accepted")
        }
    }
}
