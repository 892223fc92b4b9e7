// ShellWord: how a value that faigen did not write itself enters a generated shell script.

enum ShellWord {
    /// `value` as one POSIX shell word that expands to exactly itself: single quotes,
    /// each embedded `'` written as `'\''`. Nothing inside single quotes is special.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Whether `name` is an FAI class name that is safe as a bare word anywhere in a
    /// script: A-Z, 0-9 and `_`, as the defclass hook also demands of ADDCLASSES.
    static func isClassName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
