// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "crisisd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "crisisd", targets: ["crisisd"]),
        .executable(name: "crisisctl", targets: ["crisisctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        // GET /metrics: swift-prometheus, on swift-metrics' CoreMetrics (pinned here so that its version is ours).
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
    ],
    targets: [
        // Pure domain: no I/O, never reads the clock. Mustache parses SMS gateway templates.
        .target(
            name: "CrisisCore", dependencies: [.product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict),
        .target(
            name: "CrisisConfig",
            dependencies: ["CrisisCore"],
            swiftSettings: strict),
        // The store port: what the app asks of storage, in value types. No I/O.
        .target(
            name: "CrisisStorage", dependencies: ["CrisisCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // The store on SQLite (GRDB on the system libsqlite3).
        .target(
            name: "CrisisSQLite",
            dependencies: ["CrisisCore", "CrisisStorage", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(
            name: "CrisisNotify",
            dependencies: [
                "CrisisCore", "CCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "CrisisSystemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "CrisisHTTP",
            dependencies: [
                "CrisisCore", "CrisisSystemd",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(
            name: "CrisisApp",
            dependencies: [
                "CrisisCore", "CrisisConfig", "CrisisStorage", "CrisisSQLite", "CrisisNotify", "CrisisSystemd",
                "CrisisHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "crisisd",
            dependencies: [
                "CrisisApp", "CrisisConfig", "CrisisSystemd",
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict,
            // jemalloc in place of glibc's malloc: the daemon's threads free what others allocated,
            // and under glibc allocating took a tenth of a burst's CPU (Benchmarks/, README).
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]),
        .executableTarget(
            name: "crisisctl",
            dependencies: [
                "CrisisCore", "CrisisConfig", "CrisisNotify", "CrisisSystemd", "CrisisStorage", "CrisisSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // Test support: a manual wall clock and an in-memory store, for running the app in-process,
        // and one temporary folder per test process.
        .target(
            name: "CrisisTesting", dependencies: ["CrisisApp", "CrisisCore", "CrisisStorage"], swiftSettings: strict),
        .testTarget(name: "CrisisCoreTests", dependencies: ["CrisisCore"]),
        .testTarget(
            name: "CrisisAppTests",
            dependencies: [
                "CrisisApp", "CrisisTesting", "CrisisConfig", "CrisisCore", "CrisisNotify",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "CrisisSystemdTests",
            dependencies: ["CrisisSystemd", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "CrisisConfigTests", dependencies: ["CrisisConfig", "CrisisCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CrisisNotifyTests",
            dependencies: [
                "CrisisNotify", "CrisisCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "CrisisSQLiteTests",
            dependencies: [
                "CrisisSQLite", "CrisisStorage", "CrisisCore", "CrisisTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // One suite every CrisisStore implementation must pass, through the port alone.
        .testTarget(
            name: "CrisisStoreContractTests",
            dependencies: ["CrisisStorage", "CrisisCore", "CrisisSQLite", "CrisisTesting"]),
        .testTarget(
            name: "ScenarioTests",
            dependencies: [
                "CrisisCore", "CrisisNotify", "CrisisStorage", "CrisisSQLite", "CrisisApp", "CrisisConfig",
                "CrisisTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)
