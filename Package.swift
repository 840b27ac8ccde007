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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Pure domain: reports, units, members, policy, rules, clocks, merge. No I/O.
        .target(
            name: "SyncCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")]),
        // A replica persisted in SQLite: records, change log, history.
        .target(
            name: "Store",
            dependencies: [
                "SyncCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // A central on PostgreSQL (docs/postgres.md): its address, schema and the copy of a SQLite central.
        .target(
            name: "StorePostgres",
            dependencies: ["SyncCore", "Store", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // The sync protocol: wire types, the central server (Hummingbird) and the field client.
        .target(
            name: "SyncService",
            dependencies: [
                "SyncCore", "Store", "Desk",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/openapi.yaml")]
        ),
        // The bulletin (通报): the period's ranked table and named items as Markdown, CSV or HTML, in Chinese or English.
        .target(name: "Bulletin", dependencies: ["SyncCore"]),
        // The central office's web desk (docs/desk.md): sign-in, sessions and the pages, served by syncd serve under /desk/.
        .target(
            name: "Desk",
            dependencies: [
                "SyncCore", "Store", "Bulletin",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            resources: [.copy("Templates"), .copy("Static")]
        ),
        // The commands of report-cli, as a library so tests can run them in-process.
        .target(
            name: "ReportCLI",
            dependencies: [
                "SyncCore", "Store", "StorePostgres", "SyncService", "Bulletin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(name: "report-cli", dependencies: ["ReportCLI"]),
        // The benchmark (docs/performance.md); not part of the tests.
        .executableTarget(
            name: "reportsync-bench",
            dependencies: [
                "SyncCore", "Store", "StorePostgres", "SyncService", "Desk", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "syncd",
            dependencies: [
                "SyncCore", "Store", "StorePostgres", "SyncService", "Desk", "ReportCLI", .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SyncCoreTests",
            dependencies: ["SyncCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "StorePostgres", "SyncCore", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        // Helpers shared by the test targets (running the built binaries, the members' fixed test keys).
        .target(
            name: "TestSupport", dependencies: ["Store", "StorePostgres", "SyncCore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "ReportCLITests",
            dependencies: [
                "ReportCLI", "Store", "SyncCore", "SyncService", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
            ],
            // The golden bulletins are read from the source tree by path (BulletinTests), not bundled.
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "SyncServiceTests",
            dependencies: [
                "SyncService", "Desk", "Store", "StorePostgres", "SyncCore", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
