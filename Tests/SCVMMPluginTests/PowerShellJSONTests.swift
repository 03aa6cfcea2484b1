import BrokerCore
import Testing
@testable import SCVMMPlugin

@Suite("SCVMM: ConvertTo-Json read leniently, in one pass")
struct PowerShellJSONTests {
    private static let id = "11111111-0000-4000-8000-0000000000"

    private func inventory(_ json: String) throws -> SCVMMInventory {
        try SCVMMInventory(json: Array(json.utf8))
    }

    @Test func listsWrappedUnrolledOrMixedCountOnlyTheirObjects() throws {
        let answer = try inventory("""
            {"hosts":{"value":[{"Name":"a"},{"Name":"b"}],"Count":2},
             "vms":[1,"x",null,[{"Name":"nested"}],{"Name":"v","ID":"\(Self.id)01","VirtualMachineState":"Running","CPUCount":" 3 ","Memory":2048.7,"Extra":{"deep":[true,false]}}]}
            """)
        #expect(answer.hosts.map(\.name) == ["a", "b"])
        let vm = try #require(answer.vms.only)
        #expect(vm.domain.name == "v" && vm.domain.state == .running && vm.domain.vcpus == 3 && vm.domain.memoryKiB == 2048 * 1024)
        #expect(vm.load == nil)
        // An object with a "value" member that is not the {value, Count} wrapper is a row.
        let row = try inventory(#"{"vms":{"Name":"w","ID":"\#(Self.id)02","value":[1],"VirtualMachineState":"Saved"}}"#)
        #expect(row.vms.map(\.domain.name) == ["w"])
    }

    @Test func theScriptsOwnSpellingWinsWhereverItStands() throws {
        for json in [
            #"{"vms":[{"Name":"s","ID":"\#(Self.id)03","VirtualMachineStateString":"Running","VirtualMachineState":"PowerOff"}]}"#,
            #"{"vms":[{"Name":"s","ID":"\#(Self.id)03","VirtualMachineState":"PowerOff","VirtualMachineStateString":"Running"}]}"#,
        ] {
            #expect(try inventory(json).domains.first?.state == .shutoff, "\(json)")
        }
        let capture = #"{"vms":[{"Name":"s","ID":"\#(Self.id)03","VirtualMachineStateString":"Running","VirtualHardDisks":[{"Location":"C:\\a.vhdx","Size":"10"}]}]}"#
        let vm = try #require(try inventory(capture).vms.first)
        #expect(vm.domain.state == .running)
        #expect(vm.load?.disks == [SCVMMLoad.Disk(location: #"C:\a.vhdx"#, maximumSize: nil, size: 10)])
    }

    @Test func valuesOfAnotherKindReadAsAbsent() throws {
        let vm = try #require(try inventory(#"""
            {"vms":[{"Name":42,"ID":"{\#(Self.id.uppercased())04}","HostName":{"x":1},"CPUCount":true,"Memory":"lots","VMId":"","BiosGuid":null}]}
            """#).vms.first)
        #expect(vm.domain.name == "42" && vm.domain.host == "" && vm.domain.vcpus == 0 && vm.domain.memoryKiB == 0)
        #expect(vm.id == "\(Self.id)04" && vm.domain.uuid == "\(Self.id)04" && vm.domain.biosGuid == nil)
    }

    @Test func whatIsNotJSONOrNotAnObjectIsATypedErrorThatSaysWhich() {
        func message(_ json: String) -> String? {
            do {
                _ = try inventory(json)
                return nil
            } catch {
                return (error as? BackendError)?.message
            }
        }
        for notAnObject in ["[1]", "\"text\"", "12"] {
            #expect(message(notAnObject) == "SCVMM's answer is not a JSON object", "\(notAnObject)")
        }
        let deep = #"{"vms":"# + String(repeating: #"{"value":"#, count: 100) + "[]" + String(repeating: "}", count: 101)
        for malformed in [#"{"vms":[]} x"#, #"{"vms":[{"Name":"n""#, "{\"vms\":" + String(repeating: "[", count: 100_000), deep, "{'vms':1}", ""] {
            #expect(message(malformed)?.hasPrefix("SCVMM answered with malformed JSON") == true, "\(malformed.prefix(40))")
        }
    }
}

extension Array {
    fileprivate var only: Element? { count == 1 ? first : nil }
}
