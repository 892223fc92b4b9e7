// BootScript: how a boot target writes a POSIX sh script: executable, a header naming the spec, set -eu, values quoted.

/// A generated POSIX sh script: executable, its header naming the spec, `set -eu`.
func scriptFile(_ path: String, _ text: String) -> GeneratedFile {
    GeneratedFile(path: path, contents: Array(text.utf8), mode: 0o755)
}

/// `NAME='VALUE'`; a `$` or backquote in the value is meant literally, which shellcheck is told.
func shellAssignment(_ name: String, _ value: String) -> String {
    let literal = value.contains("$") || value.contains("`") ? "# shellcheck disable=SC2016 # the value is data, quoted on purpose\n" : ""
    return literal + "\(name)=\(ShellWord.quoted(value))"
}

/// The first lines of a generated script: the interpreter, the header comment, `set -eu`.
func shellHeader(_ site: BootSite, _ what: String) -> String {
    "#!/bin/sh\n" + site.header("#", what) + "set -eu\n\n"
}
