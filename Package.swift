// swift-tools-version:6.1
import PackageDescription

// Whole-program specialization across the stage modules: the per-row path crosses Extract →
// Transform → Load with generic String code that is otherwise called unspecialized.
let optimized: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

// Linux (Debian) only: the sources import Glibc and link Debian's system libraries.
let package = Package(
    name: "crmbridge",
    products: [
        .executable(name: "crmbridge", targets: ["crmbridge"]),
        .executable(name: "crmbridge-bench", targets: ["crmbridge-bench"]),
        .executable(name: "crmbridge-fuzz", targets: ["crmbridge-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System libraries. ICU sits behind a C shim whose header uses plain C types only:
        // Foundation ships its own ICU module and Swift rejects the second definition of its types.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]),
        .target(name: "CZip", linkerSettings: [.linkedLibrary("z")]),
        .systemLibrary(name: "CCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // The four stages, dependencies pointing one way.
        .target(name: "Extract", dependencies: ["CCSV", "CICU", "CXML2", "CZip"], swiftSettings: optimized),
        .target(name: "Transform", dependencies: [
            "Extract", "CICU",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: optimized),
        .target(name: "Load", dependencies: [
            "Transform", "CLibPQ",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ], swiftSettings: optimized),
        .target(name: "Health", dependencies: [
            "Load",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: optimized),
        .target(name: "Pipeline", dependencies: [
            "Extract", "Transform", "Load", "Health",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: optimized),
        .executableTarget(
            name: "crmbridge",
            dependencies: [
                "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc, not glibc's malloc: records made on the reading thread are freed on the store's,
            // which glibc pays for in memory or lock waits (figures: docs/performance.md).
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),
        // Throughput of the normalizers and the readers (make bench-normalizers, bench-readers, bench-xlsx); not a test.
        .executableTarget(name: "crmbridge-bench", dependencies: ["Extract", "Transform"]),
        // Fuzz targets for every reader, the pipeline loader and the normalizers. `make fuzz`
        // builds it with libFuzzer (-DFUZZING); any other build makes it a replayer of inputs
        // (`crmbridge-fuzz TARGET FILE…`), which the end-to-end tests run on fuzz/regressions/.
        .executableTarget(name: "crmbridge-fuzz", dependencies: ["Extract", "Transform", "Pipeline"]),

        .testTarget(name: "ExtractTests", dependencies: [
            "Extract", "CICU", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "TransformTests", dependencies: ["Transform", .product(name: "Crypto", package: "swift-crypto")]),
        // A throwaway PostgreSQL server that the store tests start once per test process.
        .target(name: "PostgresTestServer", path: "Tests/PostgresTestServer"),
        // A loopback HTTP server that records what the alert and notice senders post.
        .target(name: "LoopbackServer", path: "Tests/LoopbackServer"),
        .testTarget(name: "LoadTests", dependencies: ["Load", "PostgresTestServer"], exclude: ["schema-history.sql"]),
        .testTarget(name: "HealthTests", dependencies: [
            "Health", "Load", "LoopbackServer",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "PostgresTestServer", "LoopbackServer",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ]
)
