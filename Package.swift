// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Flowline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "flowline", targets: ["flowline"]),
        .executable(name: "flowline-sandbox", targets: ["flowline-sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        // Already in the graph through async-http-client; named so connectors can tell its error types apart.
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries, reached through their own headers; each shim is the only place that includes them.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", pkgConfig: "snappy",
                       providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),

        // AppFlow request/response shapes, validation, ARNs and the error vocabulary.
        .target(name: "FlowlineAPI"),
        // Typed records, schemas, batches, the task plan, the batching pipeline and connector roles.
        .target(name: "FlowlineCore", exclude: ["Tasks/README.md"]),
        // CSV, JSON lines and Parquet readers/writers.
        .target(name: "FlowlineFormats", dependencies: ["FlowlineCore", "CSnappy", "CZstd"]),
        // The SQLite metadata store and the sealing of credentials.
        .target(name: "FlowlineStore", dependencies: [
            "CSQLite",
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [
            // Migrations is a symlink to migrations/sqlite: the SQL files are compiled into the binary.
            .embedInCode("Migrations"),
        ]),
        // libpq wrapped once (connection, results, COPY), and the Redshift destination on PostgreSQL.
        .target(name: "FlowlinePostgres", dependencies: ["CLibPQ", "FlowlineCore"]),
        // Connectors: local S3 source and destination, SaaS sources on one HTTP client, the catalog.
        .target(name: "FlowlineConnectors", dependencies: [
            "FlowlineCore", "FlowlineFormats", "FlowlineAPI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // One implementation of each AppFlow operation, and the flow runner.
        .target(name: "FlowlineService", dependencies: [
            "FlowlineAPI", "FlowlineCore", "FlowlineStore", "FlowlineConnectors", "FlowlinePostgres",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
        ]),
        // The AppFlow REST-JSON API over HTTP (Hummingbird), SigV4, scheduler, events, notifications.
        .target(name: "FlowlineServer", dependencies: [
            "FlowlineService", "FlowlineAPI",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // CloudFormation templates (AWS::AppFlow::ConnectorProfile, AWS::AppFlow::Flow) deployed as stacks.
        .target(name: "FlowlineCloudFormation", dependencies: [
            "FlowlineService", "FlowlineAPI", "FlowlineStore",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "flowline", dependencies: [
            "FlowlineService", "FlowlineAPI", "FlowlineStore", "FlowlineServer", "FlowlineCloudFormation", "FlowlineConnectors",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // An emulator of the SaaS APIs the connectors speak, on loopback, for tests and the quick start.
        .executableTarget(name: "flowline-sandbox", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // SHA-256 of Marketo's export files (their documented `fileChecksum`).
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Temporary homes, subprocesses and Python readers shared by the test targets.
        .target(name: "FlowlineTestSupport", path: "Tests/FlowlineTestSupport"),
        .testTarget(name: "FlowlineAPITests", dependencies: ["FlowlineAPI"]),
        .testTarget(name: "FlowlineCoreTests", dependencies: ["FlowlineCore"]),
        .testTarget(name: "FlowlineFormatsTests", dependencies: ["FlowlineFormats", "FlowlineCore"]),
        .testTarget(name: "FlowlineStoreTests", dependencies: ["FlowlineStore"]),
        .testTarget(name: "FlowlineServiceTests", dependencies: [
            "FlowlineService", "FlowlineAPI", "FlowlineCore", "FlowlineConnectors", "flowline-sandbox", "FlowlineTestSupport"]),
        .testTarget(name: "FlowlineCLITests", dependencies: ["flowline", "flowline-sandbox", "FlowlineTestSupport"]),
        .testTarget(name: "FlowlinePostgresTests", dependencies: [
            "FlowlinePostgres", "FlowlineCore", "flowline", "FlowlineTestSupport"]),
        // Scripts run by tests, excluded from the target: sap/ (pyodata reads the sandbox's SAP service), google/
        // (Google's client libraries check the Google Analytics emulators), vendorclients/ (marketorestpython, simple-salesforce).
        .testTarget(name: "FlowlineConnectorsTests", dependencies: [
            "FlowlineConnectors", "FlowlineCore", "flowline", "flowline-sandbox", "FlowlineTestSupport"],
            exclude: ["sap", "google", "vendorclients"]),
        .testTarget(name: "FlowlineServerTests", dependencies: ["FlowlineServer", "flowline", "FlowlineTestSupport"]),
        .testTarget(name: "FlowlineCloudFormationTests", dependencies: [
            "FlowlineCloudFormation", "flowline", "FlowlineTestSupport"]),
        // The web console in headless Chromium (Selenium) and over plain HTTP; the Python scripts live in browser/.
        .testTarget(name: "FlowlineConsoleTests", dependencies: ["flowline", "flowline-sandbox", "FlowlineTestSupport"], exclude: ["browser"]),
    ]
)
