// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ReportSync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "report-cli", targets: ["report-cli"]),
        .executable(name: "syncd", targets: ["syncd"]),
        .library(name: "SyncCore", targets: ["SyncCore"]),
        .library(name: "Store", targets: ["Store"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Pure domain: reports, units, members, policy, rules, clocks, merge. No I/O.
        .target(name: "SyncCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // A replica persisted in SQLite: records, change log, history.
        .target(
            name: "Store",
            dependencies: ["SyncCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The commands of report-cli, as a library so tests can run them in-process.
        .target(
            name: "ReportCLI",
            dependencies: [
                "SyncCore", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "report-cli", dependencies: ["ReportCLI"]),
        // The benchmark (docs/performance.md); not part of the tests.
        .executableTarget(
            name: "reportsync-bench",
            dependencies: [
                "SyncCore", "Store", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "syncd",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "SyncCoreTests",
            dependencies: ["SyncCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "StoreTests", dependencies: ["Store", "SyncCore"]),
        .testTarget(name: "ReportCLITests", dependencies: ["ReportCLI", "Store", "SyncCore"]),
    ],
    swiftLanguageModes: [.v6]
)
