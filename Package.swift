// swift-tools-version: 6.1
import PackageDescription

/// Strict settings for every target: Swift 6 mode plus the upcoming features the
/// project's models (Hummingbird 2, swift-subprocess) use.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "rbx",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rbx", targets: ["rbx"]),
        .library(name: "RunbookYAML", targets: ["RunbookYAML"]),
        .library(name: "RunbookCore", targets: ["RunbookCore"]),
        .library(name: "RunbookLifecycle", targets: ["RunbookLifecycle"]),
        .library(name: "RunbookEngine", targets: ["RunbookEngine"]),
        .library(name: "RunbookStore", targets: ["RunbookStore"]),
        .library(name: "RunbookServer", targets: ["RunbookServer"]),
        .library(name: "RunbookReview", targets: ["RunbookReview"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "RunbookYAML",
            dependencies: ["CYAML"],
            swiftSettings: strictSettings
        ),
        // RE2 (Debian's libre2-dev) behind a small C face: linear-time regex matching with the
        // syntax Prometheus and Alertmanager accept.
        .target(
            name: "CRE2",
            linkerSettings: [.linkedLibrary("re2")]
        ),
        .target(
            name: "RunbookCore",
            dependencies: [
                "RunbookYAML",
                "CRE2",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ],
            swiftSettings: strictSettings
        ),
        // The run lifecycle's rules (who may approve and when, ...), pure: no process, HTTP or
        // database library, so drills, `rbx run`, the server and both stores share them.
        .target(
            name: "RunbookLifecycle",
            dependencies: ["RunbookCore"],
            swiftSettings: strictSettings
        ),
        // prctl(PR_SET_CHILD_SUBREAPER) for step containment: prctl is variadic, so C calls it.
        .target(name: "CProcessControl"),
        .target(
            name: "RunbookEngine",
            dependencies: [
                "RunbookCore",
                "RunbookLifecycle",
                "CProcessControl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RunbookStore",
            dependencies: [
                "RunbookCore",
                "RunbookLifecycle",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RunbookServer",
            dependencies: [
                "RunbookCore",
                "RunbookEngine",
                "RunbookLifecycle",
                "RunbookStore",
                "RunbookReview",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        // Test support shared by rbx's test targets (a throwaway PostgreSQL cluster, a real
        // Prometheus); not a product. The database is created with psql.
        .target(
            name: "RunbookTesting",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // For reviewers: runbook unit tests (`rbx test`), behaviour diffs (`rbx diff`) and
        // catalog documentation (`rbx docs`), all over loaded catalogs and the drill engine.
        .target(
            name: "RunbookReview",
            dependencies: ["RunbookYAML", "RunbookCore", "RunbookLifecycle", "RunbookEngine"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rbx",
            dependencies: [
                "RunbookReview",
                "RunbookCore",
                "RunbookEngine",
                "RunbookLifecycle",
                "RunbookYAML",
                "RunbookStore",
                "RunbookServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Benchmarks of the engine (bench/engine.sh); not part of the rbx product.
        .executableTarget(
            name: "rbx-bench",
            dependencies: ["RunbookCore", "RunbookEngine"],
            path: "Sources/rbx-bench",
            swiftSettings: strictSettings
        ),
        // What each fuzz target does with one input (issue 13), shared by the fuzz binary and the
        // test that replays the committed corpus and crash inputs; not a product.
        .target(
            name: "RunbookFuzzing",
            dependencies: ["RunbookCore", "RunbookYAML"],
            swiftSettings: strictSettings
        ),
        // The libFuzzer binary scripts/fuzz builds; an ordinary build makes a replayer of the same
        // code. Extern: `@_extern(c)` declares libFuzzer's LLVMFuzzerRunDriver without a C module.
        .executableTarget(
            name: "rbx-fuzz",
            dependencies: ["RunbookFuzzing"],
            path: "Sources/rbx-fuzz",
            swiftSettings: strictSettings + [.enableExperimentalFeature("Extern")]
        ),
        .testTarget(
            name: "RunbookYAMLTests",
            dependencies: ["RunbookYAML"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunbookCoreTests",
            dependencies: [
                "RunbookCore", "RunbookYAML", "RunbookFuzzing", "RunbookTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunbookLifecycleTests",
            dependencies: ["RunbookLifecycle", "RunbookCore", "RunbookYAML"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunbookEngineTests",
            dependencies: ["RunbookEngine", "RunbookLifecycle", "RunbookCore", "RunbookYAML", "RunbookTesting"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunbookStoreTests",
            dependencies: [
                "RunbookStore", "RunbookEngine", "RunbookCore", "RunbookTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunbookServerTests",
            dependencies: [
                "RunbookServer", "RunbookStore", "RunbookEngine", "RunbookLifecycle", "RunbookCore", "RunbookTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunbookReviewTests",
            dependencies: ["RunbookReview", "RunbookEngine", "RunbookCore", "RunbookYAML"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "rbxTests",
            dependencies: [
                "rbx", "RunbookEngine", "RunbookTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ],
    cxxLanguageStandard: .cxx17
)
