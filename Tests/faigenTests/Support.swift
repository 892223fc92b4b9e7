// Support: run the built faigen binary and make scratch trees, for end-to-end tests.
import Foundation
import Testing

/// The result of one faigen run.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The built faigen beside the test executable (`swift test` builds both);
/// FAIGEN_BIN names another one, e.g. the static release binary.
let faigenBinary: URL = {
    if let path = ProcessInfo.processInfo.environment["FAIGEN_BIN"] {
        return URL(fileURLWithPath: path)
    }
    var candidates: [URL] = []
    if let exe = Bundle.main.executableURL {
        candidates.append(exe.deletingLastPathComponent().appendingPathComponent("faigen"))
    }
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("faigen"))
    candidates.append(repositoryRoot.appendingPathComponent(".build/debug/faigen"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
}()

/// Runs a program and collects its output; `stdin` is fed when given.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
         directory: URL? = nil, stdin: String? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus,
                     stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

@discardableResult
func faigen(_ arguments: String..., environment: [String: String]? = nil, directory: URL? = nil) throws -> RunResult {
    try run(faigenBinary.path, arguments, environment: environment, directory: directory)
}

/// A fresh empty directory, removed when the test process ends is not promised: tests
/// make them under the system temporary directory with a recognisable prefix.
func scratchDirectory(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("faigen-\(safe)-\(UUID().uuidString.prefix(8))")
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
