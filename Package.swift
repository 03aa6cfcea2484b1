// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "virtfed",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "virtfed", targets: ["virtfed"]),
        .executable(name: "virtfedd", targets: ["virtfedd"]),
        // For the simulators package (simulators/), which depends on this one by path.
        .library(name: "XML", targets: ["XML"]),
        .library(name: "WSMan", targets: ["WSMan"]),
        .library(name: "GSSAPI", targets: ["GSSAPI"]),
        .library(name: "WinRMSupport", targets: ["WinRMSupport"]),
        // For the simulators package's tests of the plugins against the simulators.
        .library(name: "BrokerCore", targets: ["BrokerCore"]),
        .library(name: "HyperVPlugin", targets: ["HyperVPlugin"]),
        .library(name: "SCVMMPlugin", targets: ["SCVMMPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Blocking C calls off the cooperative pool, and deadlines. Generic; knows no broker.
        .target(name: "BlockingWork"),
        // The plugin contract and the model. No I/O.
        .target(
            name: "BrokerCore",
            dependencies: ["BlockingWork", .product(name: "Logging", package: "swift-log")]
        ),
        // libvirt's numbers and words for states, reasons and events, shared by the libvirt
        // plugin and the libvirt facade.
        .target(name: "LibvirtVocabulary", dependencies: ["BrokerCore"]),
        // libvirt's C API, behind one gate.
        .systemLibrary(name: "CLibvirt", pkgConfig: "libvirt", providers: [.apt(["libvirt-dev"])]),
        .target(name: "Libvirt", dependencies: ["CLibvirt"]),
        // libcurl and libxml2, each behind one gate (for WS-Management).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "XML", dependencies: ["CLibXML2"]),
        .target(name: "Curl", dependencies: ["CCurl"]),
        // MIT GSS-API (Kerberos, SPNEGO; NTLM through gss-ntlmssp), behind one gate: WinRM's authentication and sealing.
        .systemLibrary(name: "CGSSAPI", pkgConfig: "krb5-gssapi", providers: [.apt(["libkrb5-dev", "gss-ntlmssp"])]),
        .target(name: "GSSAPI", dependencies: ["CGSSAPI"]),
        // WS-Management client (SOAP envelopes, Enumerate/Pull, Get, Invoke, the WinRM shell) over Curl + XML.
        .target(name: "WSMan", dependencies: ["BlockingWork", "Curl", "GSSAPI", "XML", .product(name: "Crypto", package: "swift-crypto")]),
        // Backend plugins, and what the WinRM-based ones share (URI reading, error codes).
        .target(
            name: "LibvirtPlugin",
            dependencies: ["BlockingWork", "BrokerCore", "Libvirt", "LibvirtVocabulary", "XML", .product(name: "Logging", package: "swift-log")],
            path: "plugins/Libvirt"
        ),
        .target(name: "WinRMSupport", dependencies: ["BrokerCore", "WSMan"], path: "plugins/WinRMSupport"),
        .target(
            name: "HyperVPlugin",
            dependencies: ["BrokerCore", "WSMan", "WinRMSupport", "XML", .product(name: "Logging", package: "swift-log")],
            path: "plugins/HyperV"
        ),
        .target(
            name: "SCVMMPlugin",
            dependencies: ["BrokerCore", "JSONText", "WSMan", "WinRMSupport", .product(name: "Logging", package: "swift-log")],
            path: "plugins/SCVMM"
        ),
        // An in-memory backend for tests of the engine and the doors (and plugin authors' own).
        .target(
            name: "InMemoryPlugin",
            dependencies: ["BrokerCore", .product(name: "Logging", package: "swift-log")],
            path: "plugins/InMemory"
        ),
        // The one registry of the plugins virtfed ships, for both executables.
        .target(name: "BuiltinPlugins", dependencies: ["BrokerCore", "LibvirtPlugin", "HyperVPlugin", "SCVMMPlugin"]),
        // The engine: sessions, fan-out, the merged namespace, configuration.
        .target(
            name: "Broker",
            dependencies: [
                "BrokerCore", "BrokerAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // What the daemon keeps across restarts: jobs and the audit trail, in SQLite (GRDB) on one
        // node, or in PostgreSQL (PostgresNIO) shared by the nodes of a cluster.
        .target(
            name: "StateStore",
            dependencies: ["BlockingWork", "BrokerAPI", "BrokerCore", "Federation", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        // Several daemons, one federation: membership, backend leases and placement on the PostgreSQL store.
        .target(
            name: "Cluster",
            dependencies: ["Broker", "BrokerAPI", "BrokerCore", "StateStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        // The service manager's side of start-up: sd_notify and socket activation, in plain C calls.
        .target(name: "SystemdSupport"),
        // The servers' shared skeleton: socket files, connection tracking and limits, graceful drain.
        .target(
            name: "SocketServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // JSON from bytes: RFC 8259 strings (the decoder JSONRPC's parser shares) and a forward-only
        // reader for answers of a known shape (the CLI's listing, SCVMM's inventory).
        .target(name: "JSONText"),
        // Generic JSON-RPC 2.0 over NIO on Unix sockets. Knows nothing of virtualization.
        .target(
            name: "JSONRPC",
            dependencies: [
                "JSONText", "SocketServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libvirt's remote protocol (XDR, framing, keepalive, a server on a Unix socket).
        // Knows nothing of the broker.
        .target(
            name: "LibvirtRemote",
            dependencies: [
                "SocketServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Prometheus `/metrics`: the inventory and the daemon's own counters, over HTTP/1.1 on loopback.
        .target(
            name: "VirtfedMetrics",
            dependencies: [
                "Broker", "BrokerAPI", "BrokerCore", "LibvirtVocabulary", "SocketServer",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The wire contract shared by the daemon and the CLI.
        .target(name: "BrokerAPI", dependencies: ["BrokerCore", "JSONText"]),
        // The federation service every door calls: resolve, route, perform, audit, policy,
        // XML for every VM, the listing cache.
        .target(
            name: "Federation",
            dependencies: ["BlockingWork", "Broker", "BrokerAPI", "BrokerCore", "XML", .product(name: "Logging", package: "swift-log")]
        ),
        // The doors: thin translations of their wire format onto the service.
        .target(name: "JSONRPCDoor", dependencies: ["BrokerAPI", "BrokerCore", "Federation", "JSONRPC"]),
        .target(
            name: "LibvirtDoor",
            dependencies: [
                "BrokerAPI", "BrokerCore", "Federation", "LibvirtRemote", "LibvirtVocabulary", "XML",
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "virtfed",
            dependencies: [
                "BlockingWork", "Broker", "BrokerAPI", "BrokerCore", "BuiltinPlugins", "Federation", "LibvirtVocabulary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "virtfedd",
            dependencies: [
                "Broker", "BrokerAPI", "BrokerCore", "BuiltinPlugins", "Federation", "JSONRPC", "JSONRPCDoor", "LibvirtDoor", "LibvirtRemote",
                "VirtfedMetrics", "SocketServer", "SystemdSupport", "StateStore", "Cluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "BrokerCoreTests", dependencies: ["BlockingWork", "BrokerCore"]),
        .testTarget(name: "LibvirtVocabularyTests", dependencies: ["BrokerCore", "LibvirtVocabulary"]),
        .testTarget(name: "XMLTests", dependencies: ["XML"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "SocketServerTests", dependencies: [
            "SocketServer", "SystemdSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "LibvirtRemoteTests", dependencies: [
            "LibvirtRemote", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        // A scripted WinRM shell peer shared by the WinRM and SCVMM unit tests.
        .target(name: "WinRMTestPeer", dependencies: ["WSMan", "XML"], path: "Tests/Support/WinRMTestPeer"),
        .testTarget(name: "WSManTests", dependencies: ["WSMan", "WinRMSupport", "BrokerCore", "XML", "WinRMTestPeer"]),
        .testTarget(name: "HyperVPluginTests", dependencies: ["HyperVPlugin", "BrokerCore", "WSMan", "WinRMSupport"]),
        .testTarget(
            name: "SCVMMPluginTests",
            dependencies: ["SCVMMPlugin", "BrokerCore", "WSMan", "WinRMSupport", "WinRMTestPeer", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "CurlTests", dependencies: ["Curl"], exclude: ["http_peer.py"]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "BrokerCore", "BrokerAPI", "Federation", "InMemoryPlugin"]),
        .testTarget(name: "FederationTests", dependencies: ["Federation", "Broker", "BrokerCore", "BrokerAPI", "InMemoryPlugin"]),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", "StateStore", "BrokerAPI", "BrokerCore"]),
        .testTarget(name: "StateStoreTests", dependencies: [
            "StateStore", "Federation", "BrokerAPI", "BrokerCore", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DoorTests", dependencies: [
            "JSONRPCDoor", "LibvirtDoor", "Federation", "Broker", "BrokerCore", "BrokerAPI", "InMemoryPlugin", "JSONRPC", "LibvirtRemote",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "VirtfedMetricsTests", dependencies: ["VirtfedMetrics", "Broker", "BrokerAPI", "BrokerCore"]),
        .testTarget(name: "LibvirtPluginTests", dependencies: ["LibvirtPlugin", "BrokerCore", "Libvirt"]),
        .testTarget(name: "GSSAPITests", dependencies: ["GSSAPI"]),
        .testTarget(name: "IntegrationTests", dependencies: [], exclude: ["Peers"]),
    ],
    swiftLanguageModes: [.v6]
)
