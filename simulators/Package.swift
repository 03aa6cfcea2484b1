// swift-tools-version:6.0
import PackageDescription

// The Hyper-V and SCVMM simulators: test and demo infrastructure, not part of what ships.
// They use the product's XML library product (and, in ClientAgainstSimulatorTests, WSMan and
// WinRMSupport); the product package does not depend on this one.
let package = Package(
    name: "virtfed-simulators",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "virtfed-sim", targets: ["virtfed-sim"]),
    ],
    dependencies: [
        .package(name: "virtfed", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // Protocol-faithful simulators of what cannot run here (Hyper-V, SCVMM).
        .target(
            name: "Simulators",
            dependencies: [
                .product(name: "XML", package: "virtfed"),
                .product(name: "GSSAPI", package: "virtfed"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
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
        .testTarget(name: "SimulatorTests", dependencies: ["Simulators", .product(name: "XML", package: "virtfed")]),
        // The product's WS-Man client (libcurl transport) against the Hyper-V simulator, in process.
        .testTarget(
            name: "ClientAgainstSimulatorTests",
            dependencies: [
                "Simulators",
                .product(name: "WSMan", package: "virtfed"),
                .product(name: "WinRMSupport", package: "virtfed"),
            ]
        ),
        // The product's Hyper-V and SCVMM plugins against the simulators, in process: the verbs
        // beyond power buttons (define, snapshots, migrate, undefine) end to end.
        .testTarget(
            name: "PluginsAgainstSimulatorTests",
            dependencies: [
                "Simulators",
                .product(name: "BrokerCore", package: "virtfed"),
                .product(name: "HyperVPlugin", package: "virtfed"),
                .product(name: "SCVMMPlugin", package: "virtfed"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
