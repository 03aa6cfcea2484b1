import Simulators
import Testing

@Suite("WQL parser and evaluator")
struct WQLTests {
    let evaluator: WQLEvaluator

    init() throws {
        evaluator = WQLEvaluator(model: HyperVModel(inventory: try SimulatorHarness.demoInventory()))
    }

    private func names(_ wql: String) throws -> [String] {
        try evaluator.evaluate(wql).instances.compactMap { $0["ElementName"]?.text }
    }

    @Test("AND, OR, NOT, parentheses, != and <>")
    func booleanOperators() throws {
        #expect(try names("SELECT * FROM Msvm_ComputerSystem WHERE Description = 'Microsoft Virtual Machine' AND (EnabledState = 6 OR EnabledState = 9)")
            == ["dc-02", "test-linux"])
        #expect(try names("select * from msvm_computersystem where description = \"Microsoft Virtual Machine\" and not (EnabledState <> 3)")
            == ["build-agent", "legacy-app"])
        #expect(try names("SELECT * FROM Msvm_ComputerSystem WHERE EnabledState != 2 AND Description != 'Microsoft Hosting Computer System' AND EnabledState != 3")
            == ["dc-02", "test-linux"])
        // AND binds tighter than OR.
        #expect(try names("SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'sql-01' OR ElementName = 'web-01' AND EnabledState = 3")
            == ["sql-01"])
    }

    @Test("LIKE with %, _ and sets; case-insensitive strings; numbers; IS NULL")
    func likeAndLiterals() throws {
        #expect(try names("SELECT * FROM Msvm_ComputerSystem WHERE ElementName LIKE '%-0_'") == ["sql-01", "web-01", "dc-02"])
        #expect(try names("SELECT * FROM Msvm_ComputerSystem WHERE ElementName LIKE '[st]%'") == ["sql-01", "test-linux"])
        #expect(try names("SELECT * FROM Msvm_ComputerSystem WHERE ElementName NOT LIKE '%-%'") == ["HV01"])
        #expect(try names("SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'SQL-01'") == ["sql-01"])
        #expect(try names("SELECT * FROM Msvm_ComputerSystem WHERE ProcessID IS NULL AND Description = 'Microsoft Virtual Machine'")
            == ["build-agent", "dc-02", "legacy-app"])
        #expect(try evaluator.evaluate("SELECT * FROM Msvm_MemorySettingData WHERE Limit >= 16384").instances.count == 2)
        let maximum = try evaluator.evaluate("SELECT * FROM Msvm_ProcessorSettingData WHERE InstanceID LIKE 'Microsoft:Definition%Maximum'")
        #expect(maximum.instances.count == 1)
        #expect(maximum.instances.first?["VirtualQuantity"] == .integer(80))
    }

    @Test("Escaped quotes in literals, as virBufferEscapeSQL writes them")
    func escapes() throws {
        let query = try WQLParser.parse(#"SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'it\'s'"#)
        #expect(query == .select(properties: nil, className: "Msvm_ComputerSystem",
                                 condition: .comparison(property: "ElementName", .equal, .string("it's"))))
    }

    @Test("ASSOCIATORS OF, as libvirt writes it")
    func associators() throws {
        let vssd = try evaluator.evaluate(
            "ASSOCIATORS OF {Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name='7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c'} WHERE AssocClass = Msvm_SettingsDefineState ResultClass = Msvm_VirtualSystemSettingData")
        #expect(vssd.instances.count == 1)
        #expect(vssd.instances.first?["InstanceID"] == .string("Microsoft:7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C"))
        let cpus = try evaluator.evaluate(
            #"ASSOCIATORS OF {Msvm_VirtualSystemSettingData.InstanceID='Microsoft:7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C'} WHERE AssocClass = Msvm_VirtualSystemSettingDataComponent ResultClass = Msvm_ProcessorSettingData"#)
        #expect(cpus.instances.map { $0["VirtualQuantity"] } == [.integer(4)])
        let processors = try evaluator.evaluate(
            "ASSOCIATORS OF {Win32_ComputerSystem.Name='HV01'} WHERE AssocClass = Win32_ComputerSystemProcessor ResultClass = Win32_Processor")
        #expect(processors.instances.map { $0["DeviceID"] } == [.string("CPU0"), .string("CPU1")])
    }

    @Test("Errors: syntax, unknown class, unknown property, missing object")
    func errors() {
        #expect(throws: WQLError.self) { try WQLParser.parse("SELECT * FROM") }
        #expect(throws: WQLError.self) { try WQLParser.parse("SELECT * FROM X WHERE (A = 1") }
        #expect(throws: WQLError.self) { try WQLParser.parse("SELECT * FROM X WHERE A = 'unterminated") }
        #expect(throws: WQLError.self) { try WQLParser.parse("SELECT * FROM X WHERE A = B") }
        #expect(throws: WQLError.unknownClass("Msvm_Nothing")) { try evaluator.evaluate("SELECT * FROM Msvm_Nothing") }
        #expect(throws: WQLError.unknownProperty("Colour", className: "Msvm_ComputerSystem")) {
            try evaluator.evaluate("SELECT * FROM Msvm_ComputerSystem WHERE Colour = 'red'")
        }
        #expect(throws: WQLError.self) {
            try evaluator.evaluate("ASSOCIATORS OF {Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name='00000000-0000-0000-0000-000000000000'} WHERE ResultClass = Msvm_VirtualSystemSettingData")
        }
    }
}
