// ShellSyntaxTests: #! parsing, the shells' -n verdicts, and the text sniffer.
import Foundation
import Testing
@testable import FaiSpace

@Suite struct ShellSyntaxTests {
    @Test func shebangNamesTheProgram() throws {
        #expect(Shebang(Array("#! /bin/bash\necho".utf8))?.programName == "bash")
        #expect(Shebang(Array("#!/bin/sh -e\n".utf8))?.programName == "sh")
        #expect(Shebang(Array("#!/bin/sh -e\n".utf8))?.argument == "-e")
        #expect(Shebang(Array("#!/usr/bin/env bash\n".utf8))?.programName == "bash")
        #expect(Shebang(Array("#!/usr/bin/env -S perl -w\n".utf8))?.programName == "perl")
        #expect(Shebang(Array("# /bin/bash\n".utf8)) == nil)
        #expect(Shebang(Array("#!\n".utf8)) == nil)
    }

    @Test func bashReportsTheLineOfAnUnexpectedToken() throws {
        let bash = try requireTool("/bin/bash", package: "bash")
        let file = try write("echo a\nfi\necho b\n")
        let error = try syntaxError(ShellSyntax.check(file: file, shell: bash, lineCount: 3))
        #expect(error?.line == 2)
        #expect(error?.message.contains("syntax error") == true)
    }

    @Test func dashReportsEndOfFileAtTheLastLine() throws {
        let sh = try requireTool("/bin/sh", package: "dash")
        let file = try write("echo a\nif true; then\n  echo b\n")
        let error = try syntaxError(ShellSyntax.check(file: file, shell: sh, lineCount: 3))
        #expect(error?.line == 3)
        #expect(error?.message.contains("Syntax error") == true)
    }

    @Test func aValidScriptAndAHeredocWarningPass() throws {
        let bash = try requireTool("/bin/bash", package: "bash")
        #expect(try ShellSyntax.check(file: write("if true; then echo; fi\n"), shell: bash, lineCount: 1) == .parses)
        #expect(try ShellSyntax.check(file: write("cat <<EOF\nno end\n"), shell: bash, lineCount: 2) == .parses)
    }

    /// Issue 7.6: a shell that does not finish is killed at the time limit, and a file over
    /// the size limit is never given to it.
    @Test func aShellRunIsBoundedInTimeAndSize() throws {
        let slow = try write("#!/bin/sh\nexec sleep 60\n")
        #expect(chmod(slow, 0o755) == 0)
        let start = Date()
        let limits = LintLimits(maxFileBytes: 1 << 20, toolSeconds: 0.5)
        #expect(try ShellSyntax.check(file: write("echo\n"), shell: slow, lineCount: 1, limits: limits) == .timedOut)
        #expect(Date().timeIntervalSince(start) < 50, "the sleep was not killed")
        let big = try write(String(repeating: "echo\n", count: 300_000))
        let bash = try requireTool("/bin/bash", package: "bash")
        #expect(try ShellSyntax.check(file: big, shell: bash, lineCount: 300_000, limits: limits) == .notChecked)
        #expect(try ShellSyntax.check(file: big, shell: bash, lineCount: 300_000) == .parses)
    }

    /// A file name with a newline cannot garble the message: the shell reads /dev/stdin.
    @Test func theMessageDoesNotQuoteTheFileName() throws {
        let bash = try requireTool("/bin/bash", package: "bash")
        let directory = try scratchDirectory()
        let file = directory.appendingPathComponent("10-a\nline 1: fake").path
        try Data("echo a\nfi\n".utf8).write(to: URL(fileURLWithPath: file))
        let error = try syntaxError(ShellSyntax.check(file: file, shell: bash, lineCount: 2))
        #expect(error?.line == 2)
        #expect(error?.message.contains("fake") == false)
    }

    private func syntaxError(_ outcome: ShellSyntax.Outcome) -> ShellSyntaxError? {
        if case .syntaxError(let error) = outcome { return error }
        return nil
    }

    @Test func parsesEachShellsFormat() {
        let bash = ShellSyntax.parse(diagnostics: "/x/y: line 7: syntax error near unexpected token `fi'\n/x/y: line 7: `fi'\n",
                                     file: "/x/y", lineCount: 10)
        #expect(bash == ShellSyntaxError(line: 7, message: "syntax error near unexpected token `fi'"))
        let dash = ShellSyntax.parse(diagnostics: "/x/y: 4: Syntax error: \"fi\" unexpected\n", file: "/x/y", lineCount: 10)
        #expect(dash == ShellSyntaxError(line: 4, message: "Syntax error: \"fi\" unexpected"))
        let unknown = ShellSyntax.parse(diagnostics: "zsh: parse error\n", file: "/x/y", lineCount: 10)
        #expect(unknown.line == 1)
    }

    @Test func onlyShellsWithDashNAreChecked() {
        #expect(ShellSyntax.shellExecutable(named: "perl") == nil)
        #expect(ShellSyntax.shellExecutable(named: "bash") != nil)
        #expect(ShellSyntax.shellExecutable(named: "sh", preferred: "/nonexistent/sh") != nil)
    }

    @Test func textSniffing() {
        #expect(TextContent.isText(Array("PACKAGES install\nvim\n".utf8)))
        #expect(TextContent.isText([0x63, 0x61, 0x66, 0xE9, 0x0A]))  // Latin-1 "café"
        #expect(!TextContent.isText([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00]))
        #expect(TextContent.lineOfFirstNonText(Array("a\nb\n".utf8) + [0x00]) == 3)
    }

    private func write(_ script: String) throws -> String {
        let url = try scratchDirectory().appendingPathComponent("script")
        try Data(script.utf8).write(to: url)
        return url.path
    }
}
