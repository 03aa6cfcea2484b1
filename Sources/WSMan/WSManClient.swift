import Synchronization
import XML

/// A WS-Management client for one endpoint: Identify, Enumerate+Pull with WQL, Get and
/// Invoke over any `WSManTransport`. Every answer is parsed with the safe `XMLParser` under a
/// size cap; a SOAP fault in it, whatever the HTTP status, becomes `WSManError.fault`.
public final class WSManClient: Sendable {
    /// The endpoint URL, sent as `a:To`.
    public let endpoint: String
    private let transport: any WSManTransport
    private let maxResponseBytes: Int
    private let operationTimeoutSeconds: Int
    private let maxPulls: Int
    private let maxEnvelopeSize: Int
    private let exchanges = Atomic<Int>(0)

    /// Creates a client. `maxPulls` bounds one enumeration against a peer that never ends it;
    /// `maxEnvelopeSize` is the `w:MaxEnvelopeSize` every request carries (at least 8192).
    public init(
        transport: any WSManTransport, endpoint: String, maxResponseBytes: Int = 16 << 20,
        operationTimeoutSeconds: Int = 60, maxPulls: Int = 100_000, maxEnvelopeSize: Int = WSManEnvelope.defaultMaxEnvelopeSize
    ) {
        self.maxEnvelopeSize = max(8192, maxEnvelopeSize)
        self.transport = transport
        self.endpoint = endpoint
        self.maxResponseBytes = maxResponseBytes
        self.operationTimeoutSeconds = operationTimeoutSeconds
        self.maxPulls = maxPulls
    }

    /// How many envelopes this client has posted so far.
    public var roundTrips: Int {
        exchanges.load(ordering: .relaxed)
    }

    /// Identify: returns the `IdentifyResponse` element (`ProductVendor`, `ProductVersion` …).
    public func identify() async throws(WSManError) -> XMLElement {
        try await send(.identify()).firstChild(named: "IdentifyResponse")
    }

    /// Runs a WQL query: Enumerate on `resourceURI` (the root URI, `…/v2/*`), then Pull on
    /// `classURI` until `EndOfSequence` or no context. Returns every item element in order
    /// (e.g. `p:Msvm_ComputerSystem`), taking all items of each answer — however few the
    /// listener put in it to stay under `MaxEnvelopeSize`.
    public func enumerate(resourceURI: String, classURI: String, wql: String, maxElements: Int = 512) async throws(WSManError) -> [XMLElement] {
        let first = try await send(.enumerate(to: endpoint, resourceURI: resourceURI, wql: wql, maxElements: maxElements))
            .firstChild(named: "EnumerateResponse")
        var items = first.child("Items")?.children ?? []
        var context = first.child("EnumerationContext")?.text.trimmed
        var ended = first.child("EndOfSequence") != nil
        var pulls = 0
        while !ended, let current = context, !current.isEmpty {
            pulls += 1
            guard pulls <= maxPulls else { throw .malformed("the enumeration did not end after \(maxPulls) pulls") }
            let response = try await send(.pull(to: endpoint, resourceURI: classURI, context: current, maxElements: maxElements))
                .firstChild(named: "PullResponse")
            items += response.child("Items")?.children ?? []
            context = response.child("EnumerationContext")?.text.trimmed
            ended = response.child("EndOfSequence") != nil
        }
        return items
    }

    /// Get: returns the instance element.
    public func get(resourceURI: String, selectors: [(String, String)]) async throws(WSManError) -> XMLElement {
        let body = try await send(.get(to: endpoint, resourceURI: resourceURI, selectors: selectors.map { (name: $0.0, value: $0.1) }))
        guard let instance = body.children.first else { throw .malformed("the Get answer carries no instance") }
        return instance
    }

    /// Invokes `method` on the instance of `classURI` named by `selectors`, and returns the
    /// `<method>_OUTPUT` element (read `ReturnValue`, and the `Job` reference on 4096).
    /// `readsOnly`: the method changes nothing (`GetSummaryInformation`), so the request may
    /// go over the kept connection like a read.
    public func invoke(classURI: String, method: String, selectors: [(String, String)], parameters: [(String, String)],
                       readsOnly: Bool = false) async throws(WSManError) -> XMLElement {
        try await invoke(classURI: classURI, method: method, selectors: selectors, typed: parameters.map { .value($0.0, $0.1) }, readsOnly: readsOnly)
    }

    /// Invokes `method` with typed parameters (values, endpoint references, embedded
    /// instances) and returns the `<method>_OUTPUT` element.
    public func invoke(classURI: String, method: String, selectors: [(String, String)], typed parameters: [WSManParameter],
                       readsOnly: Bool = false) async throws(WSManError) -> XMLElement {
        var envelope = try WSManEnvelope.invoke(
            to: endpoint, classURI: classURI, method: method, selectors: selectors.map { (name: $0.0, value: $0.1) }, parameters: parameters)
        envelope.readsOnly = readsOnly
        return try await send(envelope).firstChild(named: "\(method)_OUTPUT")
    }

    /// Posts one envelope (with this client's operation timeout) and returns the answer's `s:Body`.
    public func send(_ envelope: WSManEnvelope) async throws(WSManError) -> XMLElement {
        var envelope = envelope
        envelope.operationTimeoutSeconds = operationTimeoutSeconds
        envelope.maxEnvelopeSize = maxEnvelopeSize
        exchanges.add(1, ordering: .relaxed)
        return try body(of: try await transport.post(envelope.bytes, repeatable: envelope.isRepeatable))
    }

    /// The SOAP body of an answer, or the error it stands for.
    private func body(of response: WSManHTTPResponse) throws(WSManError) -> XMLElement {
        if response.status == 401 { throw .unauthorized }
        guard response.body.count <= maxResponseBytes else {
            throw .tooLarge("answer of \(response.body.count) bytes exceeds the \(maxResponseBytes)-byte limit")
        }
        let envelope: XMLElement
        do {
            envelope = try XMLParser.parse(response.body, maxBytes: maxResponseBytes)
        } catch {
            throw response.status == 200 ? WSManError(error) : .httpStatus(response.status)
        }
        guard envelope.name == "Envelope", envelope.namespace == WSManNamespace.soap,
              let body = envelope.child("Body", namespace: WSManNamespace.soap)
        else {
            throw response.status == 200 ? .malformed("the answer is not a SOAP 1.2 envelope") : .httpStatus(response.status)
        }
        if let fault = body.child("Fault", namespace: WSManNamespace.soap) { throw .fault(WSManFault(fault)) }
        guard response.status == 200 else { throw .httpStatus(response.status) }
        return body
    }
}

extension XMLElement {
    fileprivate func firstChild(named name: String) throws(WSManError) -> XMLElement {
        guard let found = child(name) else { throw .malformed("the answer has no \(name)") }
        return found
    }
}
