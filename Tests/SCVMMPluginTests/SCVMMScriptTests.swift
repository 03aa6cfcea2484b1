import Foundation
import BrokerCore
import Testing
@testable import SCVMMPlugin

/// Reads one single-quoted PowerShell string literal the way PowerShell's tokenizer does
/// (a doubled quote of any of the four quote characters is one literal quote) and returns
/// its value and whatever follows the closing quote.
func readSingleQuoted(_ text: String) -> (value: String, rest: String)? {
    let quotes: Set<Unicode.Scalar> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]
    let scalars = Array(text.unicodeScalars)
    guard let first = scalars.first, quotes.contains(first) else { return nil }
    var value = String.UnicodeScalarView()
    var index = 1
    while index < scalars.count {
        let scalar = scalars[index]
        if quotes.contains(scalar) {
            if index + 1 < scalars.count, quotes.contains(scalars[index + 1]) {
                value.append(scalars[index + 1])
                index += 2
                continue
            }
            var rest = String.UnicodeScalarView()
            rest.append(contentsOf: scalars[(index + 1)...])
            return (String(value), String(rest))
        }
        value.append(scalar)
        index += 1
    }
    return nil  // unterminated
}

@Suite("SCVMM scripts: quoting and the wire contract")
struct SCVMMScriptTests {
    static let hostile = [
        "plain",
        "it's",
        "'; Remove-SCVirtualMachine -VM $vm -Force; '",
        "x' + (Stop-Computer) + '",
        "$(Remove-Item C:\\ -Recurse)",
        "${env:PATH}`n`$vm",
        "back`tick`'quote",
        "semi;colon & | > < \"double\"",
        "line\nbreak'\r\n; Remove-SCVirtualMachine -VM $vm",
        "\u{2018}smart\u{2019} \u{201A}low\u{201B} quotes'; Stop-Computer; \u{2019}",
        "''''",
        "",
        "trailing quote'",
        "#comment <# block #> @{a=1}",
    ]

    @Test(arguments: hostile)
    func aQuotedValueIsOneLiteralWhateverItHolds(_ value: String) throws {
        let literal = SCVMMScript.quoted(value)
        let parsed = try #require(readSingleQuoted(literal))
        #expect(parsed.value == value)
        #expect(parsed.rest.isEmpty, "the literal must end exactly where the quoting ends")
        // Embedded in a statement, the statement's tail is untouched.
        let statement = readSingleQuoted(literal + " | Out-Null")
        #expect(statement?.value == value && statement?.rest == " | Out-Null")
    }

    @Test func everyQuoteCharacterIsDoubled() {
        #expect(SCVMMScript.quoted("a'b") == "'a''b'")
        #expect(SCVMMScript.quoted("\u{2019}") == "'\u{2019}\u{2019}'")
        #expect(SCVMMScript.quoted("$x`;\n\"") == "'$x`;\n\"'")
    }

    @Test func onlyGUIDsGetIntoScriptsAsIDs() throws {
        #expect(try SCVMMScript.guid("{6DBAF778-AAB7-41D4-BDC8-11A2FE732A75}") == "6dbaf778-aab7-41d4-bdc8-11a2fe732a75")
        for bad in ["", "x", "6dbaf778-aab7-41d4-bdc8-11a2fe732a7'", "6dbaf778-aab7-41d4-bdc8-11a2fe732a75'; Stop-Computer; '",
                    "6dbaf778aab741d4bdc811a2fe732a75", "6dbaf778-aab7-41d4-bdc8-11a2fe732a75\n", "gggggggg-aab7-41d4-bdc8-11a2fe732a75"] {
            #expect(throws: BackendError.self) { try SCVMMScript.guid(bad) }
            #expect(throws: BackendError.self) { try SCVMMScript.action(.start, id: bad) }
            #expect(throws: BackendError.self) { try SCVMMScript.vm(id: bad) }
            #expect(throws: BackendError.self) { try SCVMMScript.job(id: bad) }
        }
    }

    @Test func theActionScriptsAreTheDocumentedOnes() throws {
        let id = "6dbaf778-aab7-41d4-bdc8-11a2fe732a75"
        let script = try SCVMMScript.action(.save, id: id.uppercased())
        #expect(script == """
            $ErrorActionPreference = 'Stop'
            Import-Module VirtualMachineManager
            $vmm = Get-SCVMMServer -ComputerName 'localhost'
            $vm = Get-SCVirtualMachine -VMMServer $vmm -ID '\(id)'
            if ($null -eq $vm) { throw 'VirtfedVMNotFound: \(id)' }
            $null = Stop-SCVirtualMachine -VM $vm -SaveState -RunAsynchronously -JobVariable 'job'
            ConvertTo-Json -Depth 3 -Compress -InputObject @{ job = ($job | Select-Object ID, Name, @{Name='Status'; Expression={[string]$_.Status}}, Progress, @{Name='ErrorInfo'; Expression={[string]$_.ErrorInfo}}) }
            """)
        let lines: [DomainAction: String] = [
            .start: "$null = Start-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'",
            .shutdown: "$null = Stop-SCVirtualMachine -VM $vm -Shutdown -RunAsynchronously -JobVariable 'job'",
            .destroy: "$null = Stop-SCVirtualMachine -VM $vm -Force -RunAsynchronously -JobVariable 'job'",
            .suspend: "$null = Suspend-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'",
            .resume: "$null = Resume-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'",
            .reset: "$null = Reset-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'",
        ]
        for (action, line) in lines {
            #expect(try SCVMMScript.action(action, id: id).split(separator: "\n")[5] == Substring(line))
        }
        #expect(throws: BackendError.self) { try SCVMMScript.action(.reboot, id: id) }
    }

    @Test func theInventoryIsOneScriptWithTheDocumentedSelects() throws {
        let lines = SCVMMScript.inventory(.load).split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[3].hasPrefix("$hosts = @(Get-SCVMHost -VMMServer $vmm | Select-Object Name, ID, @{Name='VirtualizationPlatform'"))
        // Word for word what docs/scvmm-wire.md shows under "Inventory".
        let docs = try String(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../docs/scvmm-wire.md").standardized, encoding: .utf8)
        let section = try #require(docs.components(separatedBy: "## Inventory").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```powershell\n").dropFirst().first?.components(separatedBy: "```").first)
        #expect(block.split(separator: "\n").map(String.init) == lines)
        #expect(lines[4].contains("PerfCPUUtilization, PerfMemory, PerfDiskBytesRead, PerfDiskBytesWrite"))
        // A states listing selects the record only; a full one adds CPU utilization (for CPU time).
        let states = SCVMMScript.inventory(.states).split(separator: "\n").map(String.init)
        let full = SCVMMScript.inventory(.full).split(separator: "\n").map(String.init)
        #expect(states[4] == lines[4].components(separatedBy: ", PerfCPUUtilization").first! + ")")
        #expect(full[4] == lines[4].components(separatedBy: ", PerfMemory").first! + ")")
        #expect(Array(states.prefix(4)) == Array(lines.prefix(4)) && states[5] == lines[5] && full[5] == lines[5])
        #expect(lines[5] == "ConvertTo-Json -Depth 5 -Compress -InputObject @{ server = $vmm.FQDN; hosts = $hosts; vms = $vms }")
    }
}
