// swift-tools-version: 6.1
// Benchmarks for Attune: not part of the root package, not built by CI.
// Run everything with Benchmarks/run.sh (see Protocols/performance.md).
import PackageDescription

let package = Package(
    name: "AttuneBenchmarks",
    dependencies: [
        .package(name: "Attune", path: ".."),
    ],
    targets: [
        // C: the json-c parse-only baseline and a malloc counter (interposes malloc & co.).
        .target(
            name: "BenchSupport",
            linkerSettings: [.linkedLibrary("json-c")]
        ),
        .executableTarget(
            name: "attune-bench",
            dependencies: [.product(name: "Attune", package: "Attune"), "BenchSupport"]
        ),
    ]
)
