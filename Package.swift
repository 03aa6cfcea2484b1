// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "virtfed",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "virtfed", targets: ["virtfed"]),
        .executable(name: "virtfedd", targets: ["virtfedd"]),
        .executable(name: "virtfed-sim", targets: ["virtfed-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The plugin contract and the model. No I/O.
        .target(
            name: "BrokerCore",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        // libvirt's C API, behind one gate.
        .systemLibrary(name: "CLibvirt", pkgConfig: "libvirt", providers: [.apt(["libvirt-dev"])]),
        .target(name: "Libvirt", dependencies: ["CLibvirt"]),
        // libcurl and libxml2, each behind one gate (for WS-Management).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "XML", dependencies: ["CLibXML2"]),
        .target(name: "Curl", dependencies: ["CCurl"]),
        // WS-Management client (SOAP envelopes, Enumerate/Pull, Get, Invoke, the WinRM shell) over Curl + XML.
        .target(name: "WSMan", dependencies: ["BrokerCore", "Curl", "XML"]),
        // Backend plugins.
        .target(
            name: "LibvirtPlugin",
            dependencies: ["BrokerCore", "Libvirt", .product(name: "Logging", package: "swift-log")],
            path: "plugins/Libvirt"
        ),
        .target(
            name: "HyperVPlugin",
            dependencies: ["BrokerCore", "WSMan", "XML", .product(name: "Logging", package: "swift-log")],
            path: "plugins/HyperV"
        ),
        .target(
            name: "SCVMMPlugin",
            dependencies: ["BrokerCore", "WSMan", .product(name: "Logging", package: "swift-log")],
            path: "plugins/SCVMM"
        ),
        // The engine: sessions, fan-out, the merged namespace, configuration.
        .target(
            name: "Broker",
            dependencies: [
                "BrokerCore", "BrokerAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // Generic JSON-RPC 2.0 over NIO on Unix sockets. Knows nothing of virtualization.
        .target(
            name: "JSONRPC",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libvirt's remote protocol (XDR, framing, keepalive, a server on a Unix socket).
        // Knows nothing of the broker; reuses JSONRPC's socket-file handling.
        .target(
            name: "LibvirtRemote",
            dependencies: [
                "JSONRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Prometheus `/metrics`: the inventory and the daemon's own counters, over HTTP/1.1 on loopback.
        .target(
            name: "VirtfedMetrics",
            dependencies: [
                "Broker", "BrokerCore",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The wire contract shared by the daemon and the CLI.
        .target(name: "BrokerAPI", dependencies: ["BrokerCore"]),
        .executableTarget(
            name: "virtfed",
            dependencies: [
                "Broker", "BrokerAPI", "BrokerCore", "LibvirtPlugin", "HyperVPlugin", "SCVMMPlugin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "virtfedd",
            dependencies: [
                "Broker", "BrokerAPI", "BrokerCore", "JSONRPC", "LibvirtRemote", "LibvirtPlugin", "HyperVPlugin", "SCVMMPlugin", "XML", "VirtfedMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Protocol-faithful simulators of what cannot run here (Hyper-V, SCVMM).
        .target(
            name: "Simulators",
            dependencies: [
                "XML",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "virtfed-sim",
            dependencies: [
                "Simulators",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulators", "XML"]),
        .testTarget(name: "BrokerCoreTests", dependencies: ["BrokerCore"]),
        .testTarget(name: "XMLTests", dependencies: ["XML"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "LibvirtRemoteTests", dependencies: [
            "LibvirtRemote", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        // A scripted WinRM shell peer shared by the WinRM and SCVMM unit tests.
        .target(name: "WinRMTestPeer", dependencies: ["WSMan", "XML"], path: "Tests/Support/WinRMTestPeer"),
        .testTarget(name: "WSManTests", dependencies: ["WSMan", "BrokerCore", "XML", "Simulators", "WinRMTestPeer"]),
        .testTarget(name: "HyperVPluginTests", dependencies: ["HyperVPlugin", "BrokerCore", "WSMan"]),
        .testTarget(
            name: "SCVMMPluginTests",
            dependencies: ["SCVMMPlugin", "BrokerCore", "WSMan", "WinRMTestPeer", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "CurlTests", dependencies: ["Curl"], exclude: ["http_peer.py"]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "BrokerCore", "BrokerAPI"]),
        .testTarget(name: "VirtfedMetricsTests", dependencies: ["VirtfedMetrics", "Broker", "BrokerCore"]),
        .testTarget(name: "LibvirtPluginTests", dependencies: ["LibvirtPlugin", "BrokerCore", "Libvirt"]),
        .testTarget(name: "IntegrationTests", dependencies: [], exclude: ["Peers"]),
    ],
    swiftLanguageModes: [.v6]
)
