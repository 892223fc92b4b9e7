// swift-tools-version:6.0
// faigen: a library (FaiSpace) and a CLI (faigen) for FAI config spaces.
import PackageDescription

let package = Package(
    name: "faigen",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "FaiSpace", targets: ["FaiSpace"]),
        .executable(name: "faigen", targets: ["faigen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            path: "Sources/CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // zlib's deflate for build archives (`faigen build`); the release binary links libz.a.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // libyaml's event parser and emitter (the YAML reader, Sources/FaiSpace/Spec/YAMLNode.swift);
        // the release binary links libyaml.a.
        .systemLibrary(
            name: "CLibYAML",
            path: "Sources/CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // OpenSSL's SHA-256 (Sources/FaiSpace/Support/SHA256.swift); the release binary links
        // the SHA-256 objects of libcrypto.a.
        .systemLibrary(
            name: "CLibCrypto",
            path: "Sources/CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "CCPUID", path: "Sources/CCPUID"),
        .target(name: "CSyncfs", path: "Sources/CSyncfs"),
        .target(
            name: "FaiSpace",
            dependencies: [
                "CPCRE2", "CCPUID", "CSyncfs", "CZlib", "CLibYAML", "CLibCrypto",
            ],
            path: "Sources/FaiSpace"
        ),
        .executableTarget(
            name: "faigen",
            dependencies: [
                "FaiSpace",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/faigen"
        ),
        .testTarget(name: "FaiSpaceTests", dependencies: ["FaiSpace"], path: "Tests/FaiSpaceTests"),
        .testTarget(name: "faigenTests", dependencies: ["FaiSpace"], path: "Tests/faigenTests"),
    ]
)
