@testable import Simulators
import Testing

@Suite("powershell.exe's 80-column error layout")
struct PSConsoleLayoutTests {
    @Test("CategoryInfo / FullyQualifiedErrorId entries are cut as in pywinrm's fixture (protocols.md §2.5)")
    func hardWrap() {
        #expect(PSConsoleLayout.wrap("    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException")
                == ["    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorExcep ", "   tion"])
        #expect(PSConsoleLayout.wrap("    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException")
                == ["    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorExceptio ", "   n"])
    }

    @Test("Messages are word-wrapped as a real SCVMM server's were (RedHatQE/wrapanapi#332); joining the lines gives the text back")
    func wordWrap() {
        let message = "Get- : The term 'Get-' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."
        let lines = PSConsoleLayout.wrap(message)
        #expect(lines == ["Get- : The term 'Get-' is not recognized as the name of a cmdlet, function, ",
                          "script file, or operable program. Check the spelling of the name, or if a path ",
                          "was included, verify that the path is correct and try again."])
        #expect(lines.joined() == message)
        #expect(PSConsoleLayout.wrap(String(repeating: "x", count: 200)).map(\.count) == [78, 78, 44])
    }

    @Test("A long script line is shown as a window with ... around the failing command")
    func position() {
        let code = "$vms = @(Get-SCVirtualMachine -VMMServer $vmm -All | Select-Object Name, ID, VMId, BiosGuid, HostName, CPUCount, Memory)"
        let head = PSConsoleLayout.position(code: code, column: 9, length: 20)
        #expect(head[0].hasPrefix("+ $vms = @(Get-SCVirtualMachine") && head[0].hasSuffix(" ...") && head[0].count <= 79)
        #expect(head[1] == "+          " + String(repeating: "~", count: 20))
        let memory = code.distance(from: code.startIndex, to: code.range(of: "Memory")!.lowerBound)
        let tail = PSConsoleLayout.position(code: code, column: memory, length: 6)
        #expect(tail[0].hasPrefix("+ ... ") && tail[0].count <= 79)
        let caret = tail[1].firstIndex(of: "~").map { tail[1].distance(from: tail[1].startIndex, to: $0) } ?? 0
        #expect(Array(tail[0])[caret...].starts(with: "Memory"))
    }
}
