import Foundation
import Simulators
import Testing
import XML

@Suite("RequestStateChange, jobs and InitiateShutdown")
struct StateChangeTests {
    /// How long a state change stays in its transitional state: long enough that a test reading
    /// it right after the call still sees it on a loaded CI machine (50 ms once was not).
    static let transition = 1000
    static let sql = "7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c"
    static let web = "b3f1a2c4-6d7e-4f80-9a1b-2c3d4e5f6a7b"
    static let buildAgent = "0D9C8B7A-6F5E-4D3C-8B2A-19F8E7D6C5B4"
    static let paused = "9f8e7d6c-5b4a-4392-8181-706f5e4d3c2b"
    static let saved = "1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b"

    private func vm(_ harness: SimulatorHarness, _ guid: String) throws -> XMLElement {
        try #require(harness.query(LibvirtWQL.all + "AND Name = '\(guid)'").first)
    }

    private func invoke(_ harness: SimulatorHarness, _ body: String, method: String) throws -> (returnValue: Int?, job: String?) {
        let (status, envelope) = try harness.call(body)
        #expect(status == 200)
        let output = envelope.path("Body", "\(method)_OUTPUT")
        let job = output?.child("Job").flatMap { job in
            job.path("ReferenceParameters", "SelectorSet")?.children.first { $0.attributes["Name"] == "InstanceID" }?.text
        }
        #expect(envelope.path("Header", "Action")?.text == Envelopes.uri(method == "InitiateShutdown" ? "Msvm_ShutdownComponent" : "Msvm_ComputerSystem") + "/\(method)Response")
        return (output?.property("ReturnValue").flatMap { Int($0) }, job)
    }

    /// Polls the job the way libvirt does (WQL every 100 ms... here every 20 ms) until it completes.
    private func waitForJob(_ harness: SimulatorHarness, _ job: String) async throws -> [Int] {
        var states: [Int] = []
        for _ in 0..<200 {
            let found = try #require(harness.query("SELECT * FROM Msvm_ConcreteJob WHERE InstanceID = '\(job)'").first)
            let state = Int(found.property("JobState") ?? "") ?? -1
            states.append(state)
            if state == 7 {
                #expect(found.property("PercentComplete") == "100")
                return states
            }
            #expect(state == 4)
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("job \(job) never completed: \(states.suffix(5))")
    }

    @Test("Pause, save and start a running VM: 4096 + job, transitional state, then the new EnabledState")
    func pauseSaveStart() async throws {
        let harness = try await SimulatorHarness.start(jobMilliseconds: Self.transition)
        defer { Task { await harness.stop() } }
        let pid = try vm(harness, Self.sql).property("ProcessID")
        #expect(pid != nil)

        let pause = try invoke(harness, Envelopes.requestStateChange(guid: Self.sql, state: 9), method: "RequestStateChange")
        #expect(pause.returnValue == 4096)
        let job = try #require(pause.job)
        #expect(try vm(harness, Self.sql).property("EnabledState") == "32776")
        let states = try await waitForJob(harness, job)
        #expect(states.first == 4 && states.last == 7)
        let pausedVM = try vm(harness, Self.sql)
        #expect(pausedVM.property("EnabledState") == "9")
        #expect(pausedVM.property("ProcessID") == pid)

        let save = try invoke(harness, Envelopes.requestStateChange(guid: Self.sql, state: 6), method: "RequestStateChange")
        #expect(save.returnValue == 4096)
        #expect(try vm(harness, Self.sql).property("EnabledState") == "32773")
        _ = try await waitForJob(harness, try #require(save.job))
        let savedVM = try vm(harness, Self.sql)
        #expect(savedVM.property("EnabledState") == "6")
        #expect(savedVM.property("ProcessID") == nil)

        let start = try invoke(harness, Envelopes.requestStateChange(guid: Self.sql, state: 2), method: "RequestStateChange")
        #expect(start.returnValue == 4096)
        #expect(try vm(harness, Self.sql).property("EnabledState") == "32770")
        _ = try await waitForJob(harness, try #require(start.job))
        let running = try vm(harness, Self.sql)
        #expect(running.property("EnabledState") == "2")
        #expect(running.property("ProcessID") != nil)
    }

    @Test("Resume a paused VM and turn off a running one")
    func resumeAndTurnOff() async throws {
        let harness = try await SimulatorHarness.start(jobMilliseconds: Self.transition)
        defer { Task { await harness.stop() } }
        let resume = try invoke(harness, Envelopes.requestStateChange(guid: Self.paused, state: 2), method: "RequestStateChange")
        #expect(resume.returnValue == 4096)
        #expect(try vm(harness, Self.paused).property("EnabledState") == "32777")
        _ = try await waitForJob(harness, try #require(resume.job))
        #expect(try vm(harness, Self.paused).property("EnabledState") == "2")

        let off = try invoke(harness, Envelopes.requestStateChange(guid: Self.web, state: 3), method: "RequestStateChange")
        #expect(off.returnValue == 4096)
        _ = try await waitForJob(harness, try #require(off.job))
        #expect(try vm(harness, Self.web).property("EnabledState") == "3")
        #expect(harness.simulator.model.enabledState(ofVM: Self.web) == 3)
    }

    @Test("Impossible transitions return 4097 with no job and change nothing")
    func invalidTransitions() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let cases: [(String, Int, String)] = [
            (Self.buildAgent, 9, "3"),  // pause a stopped VM
            (Self.sql, 2, "2"),         // start / resume a running VM
            (Self.buildAgent, 6, "3"),  // save a stopped VM
            (Self.saved, 9, "6"),       // pause a saved VM
            (Self.buildAgent, 3, "3"),  // turn off a stopped VM
            (Self.paused, 10, "9"),     // reboot a paused VM
        ]
        for (guid, state, unchanged) in cases {
            let result = try invoke(harness, Envelopes.requestStateChange(guid: guid, state: state), method: "RequestStateChange")
            #expect(result.returnValue == 4097, "RequestedState \(state) on \(guid)")
            #expect(result.job == nil)
            #expect(try vm(harness, guid).property("EnabledState") == unchanged)
        }
        let unknownState = try invoke(harness, Envelopes.requestStateChange(guid: Self.sql, state: 4242), method: "RequestStateChange")
        #expect(unknownState.returnValue == 32773)
    }

    @Test("InitiateShutdown: running VM goes Stopping then Off; a stopped VM gets 4097")
    func shutdown() async throws {
        let harness = try await SimulatorHarness.start(jobMilliseconds: Self.transition)
        defer { Task { await harness.stop() } }
        let component = try #require(harness.query("SELECT * FROM Msvm_ShutdownComponent WHERE SystemName = '\(Self.web)'").first)
        let device = try #require(component.property("DeviceID"))
        let result = try invoke(harness, Envelopes.initiateShutdown(guid: Self.web, deviceID: device), method: "InitiateShutdown")
        #expect(result.returnValue == 4096)
        #expect(try vm(harness, Self.web).property("EnabledState") == "32774")
        _ = try await waitForJob(harness, try #require(result.job))
        #expect(try vm(harness, Self.web).property("EnabledState") == "3")
        #expect(try vm(harness, Self.web).property("ProcessID") == nil)

        let stopped = try #require(harness.query("SELECT * FROM Msvm_ShutdownComponent WHERE SystemName = '\(Self.buildAgent)'").first)
        let again = try invoke(harness, Envelopes.initiateShutdown(guid: Self.buildAgent, deviceID: try #require(stopped.property("DeviceID"))),
                               method: "InitiateShutdown")
        #expect(again.returnValue == 4097)
        #expect(again.job == nil)
    }

    @Test("A VM with a job in flight refuses another change (32775)")
    func busy() async throws {
        let harness = try await SimulatorHarness.start(jobMilliseconds: 2000)
        defer { Task { await harness.stop() } }
        let first = try invoke(harness, Envelopes.requestStateChange(guid: Self.sql, state: 9), method: "RequestStateChange")
        #expect(first.returnValue == 4096)
        let second = try invoke(harness, Envelopes.requestStateChange(guid: Self.sql, state: 3), method: "RequestStateChange")
        #expect(second.returnValue == 32775)
    }
}
