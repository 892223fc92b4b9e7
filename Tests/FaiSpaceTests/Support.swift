// Support: scratch trees and required tools for library tests.
import Foundation
import Testing

func scratchDirectory(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("faispace-\(safe)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Where a tool must be; the README's test command installs it. A missing one fails the test.
func requireTool(_ path: String, package: String) throws -> String {
    guard FileManager.default.isExecutableFile(atPath: path) else {
        Issue.record("\(path) is missing: install Debian package \(package) (make test does)")
        throw ToolMissing(path: path)
    }
    return path
}

struct ToolMissing: Error { var path: String }

let faiDocExample = "/usr/share/doc/fai-doc/examples/simple"

/// The repository root, for fixtures and golden trees.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
