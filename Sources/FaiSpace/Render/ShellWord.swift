// ShellWord: how a value that faigen did not write itself enters a generated shell script.

enum ShellWord {
    /// `value` as one POSIX shell word that expands to exactly itself: single quotes,
    /// each embedded `'` written as `'\''`. Nothing inside single quotes is special.
    static func quoted(_ value: String) -> String {
        // Most words hold no quote: no search-and-replace for them (a site quotes thousands).
        value.utf8.contains(UInt8(ascii: "'")) ? "'" + value.replacing("'", with: #"'\''"#) + "'" : "'" + value + "'"
    }
}
