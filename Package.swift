// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "virtfed",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "virtfed", targets: ["virtfed"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
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
        // Backend plugins.
        .target(
            name: "LibvirtPlugin",
            dependencies: ["BrokerCore", "Libvirt", .product(name: "Logging", package: "swift-log")],
            path: "plugins/Libvirt"
        ),
        // The engine: sessions, fan-out, the merged namespace, configuration.
        .target(
            name: "Broker",
            dependencies: [
                "BrokerCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The wire contract shared by the daemon and the CLI.
        .target(name: "BrokerAPI", dependencies: ["BrokerCore"]),
        .executableTarget(
            name: "virtfed",
            dependencies: [
                "Broker", "BrokerAPI", "BrokerCore", "LibvirtPlugin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "BrokerCoreTests", dependencies: ["BrokerCore"]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "BrokerCore", "BrokerAPI"]),
        .testTarget(name: "LibvirtPluginTests", dependencies: ["LibvirtPlugin", "BrokerCore", "Libvirt"]),
        .testTarget(name: "IntegrationTests", dependencies: []),
    ],
    swiftLanguageModes: [.v6]
)
