// Validate: the checks every spec value passes before it may end up in a generated script or FAI file.

/// Each check throws an InputError without a location; the spec reader adds the
/// file, line and column of the value, and the generators repeat the checks so
/// that no caller can put an unchecked value into a script.
enum Validate {
    static func fail(_ message: String, _ hint: String) -> InputError {
        InputError(nil, message, hint: hint)
    }

    /// The longest class name: it names files such as `class/NAME.var`, and a file name has
    /// at most 255 bytes.
    static let maximumClassNameBytes = RelativePath.maximumNameBytes - ".var".utf8.count

    static func className(_ name: String) throws(InputError) {
        guard FAIFacts.isSafeClassName(name) else {
            throw fail("invalid class name \(quote(name))", "a class name is made of A-Z, 0-9 and _")
        }
        guard name.utf8.count <= maximumClassNameBytes else {
            throw fail("class name of \(name.utf8.count) characters is too long",
                       "at most \(maximumClassNameBytes): it names files such as class/NAME.var, and a file name has at most 255 bytes")
        }
    }

    /// A PCRE2 pattern for pcre2grep in a generated script: it must compile, and it
    /// must be one line, because pcre2grep reads a pattern with a newline as several.
    static func scriptPattern(_ pattern: String) throws(InputError) {
        guard !pattern.isEmpty else { throw fail("empty pattern", "give a PCRE2 pattern") }
        guard !pattern.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
            throw fail("pattern \(quote(pattern)) holds a line break or NUL", "write \\n for a newline; pcre2grep matches one line at a time")
        }
        do {
            _ = try PCRE2Regex(pattern)
        } catch let error as PCRE2CompileError {
            throw fail("pattern \(quote(pattern)) does not compile: \(error.message) at offset \(error.offset)", "fix the PCRE2 pattern")
        } catch {
            throw fail("pattern \(quote(pattern)) does not compile: \(error)", "fix the PCRE2 pattern")
        }
    }

    /// A device path under /dev, as grub legacy and the kernel name partitions.
    static func devicePath(_ path: String, what: String) throws(InputError) {
        guard path.hasPrefix("/dev/"), path.count > 5, path.count <= 255,
              path.utf8.allSatisfy({ isAlphanumeric($0) || "/_.-:+".utf8.contains($0) }),
              !path.split(separator: "/").contains(".."), !path.hasSuffix("/") else {
            throw fail("invalid \(what) \(quote(path))", "give a device path such as /dev/xvda1 (A-Z, a-z, 0-9, / _ . - : +)")
        }
    }

    /// grub legacy's name of a disk or partition: `(hd0)` or `(hd0,0)`.
    static func groot(_ value: String) throws(InputError) {
        let ok: Bool = {
            guard value.hasPrefix("(hd"), value.hasSuffix(")") else { return false }
            let inner = value.dropFirst(3).dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
            return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) }
        }()
        guard ok else { throw fail("invalid groot \(quote(value))", "give grub legacy's name of the boot partition, such as (hd0,0)") }
    }

    /// A kernel or initrd path inside the guest's boot partition.
    static func bootFile(_ path: String, what: String) throws(InputError) {
        guard path.hasPrefix("/"), path.count > 1, path.count <= 255,
              path.utf8.allSatisfy({ isAlphanumeric($0) || "/_.-+".utf8.contains($0) }),
              !path.split(separator: "/").contains("..") else {
            throw fail("invalid \(what) path \(quote(path))", "give an absolute path such as /vmlinuz (A-Z, a-z, 0-9, / _ . - +)")
        }
    }

    /// Kernel arguments land in menu.lst and in update-grub's kopt line, which
    /// update-grub reads with the shell: words of a safe character set only.
    static func kernelArgs(_ args: String) throws(InputError) {
        guard args.count <= 1024, args.utf8.allSatisfy({ isAlphanumeric($0) || " _=,.:/+@-".utf8.contains($0) }) else {
            throw fail("invalid kernel arguments \(quote(args))", "use words of A-Z, a-z, 0-9 and _ = , . : / + @ - separated by spaces")
        }
    }

    static func timeout(_ seconds: Int) throws(InputError) {
        guard (0...3600).contains(seconds) else {
            throw fail("invalid timeout \(seconds)", "give seconds from 0 to 3600")
        }
    }

    static let serialSpeeds: Set<Int> = [2400, 4800, 9600, 19200, 38400, 57600, 115200]

    static func serialConsole(_ console: SerialConsole) throws(InputError) {
        guard (0...3).contains(console.unit) else {
            throw fail("invalid serial unit \(console.unit)", "grub legacy knows units 0 to 3")
        }
        guard serialSpeeds.contains(console.speed) else {
            throw fail("invalid serial speed \(console.speed)", "give one of \(serialSpeeds.sorted().map(String.init).joined(separator: ", "))")
        }
    }

    static func variableName(_ name: String) throws(InputError) {
        guard let first = name.utf8.first, first == 95 || isLetter(first),
              name.utf8.allSatisfy({ isAlphanumeric($0) || $0 == 95 }) else {
            throw fail("invalid variable name \(quote(name))", "a shell variable name is A-Z, a-z, 0-9 and _, not starting with a digit")
        }
    }

    /// The commands install_packages knows after PACKAGES.
    static func packageCommand(_ command: String) throws(InputError) {
        guard knownPackageCommands.contains(command) else {
            // The suggestion lint's unknown-packages-command makes for the same typo.
            let hint = UnknownPackagesCommand.nearestKnownCommand(to: command).map { "did you mean '\($0)'?" }
                ?? "install_packages knows: \(knownPackageCommands.sorted().joined(separator: ", "))"
            throw fail("unknown PACKAGES command \(quote(command))", hint)
        }
    }

    /// A package of a section whose command hands it to apt, dpkg or tasksel is lower case:
    /// lint's upper-case-package-name, as an error, since the spec writes the list.
    static func packageNameCase(_ name: String, command: String) throws(InputError) {
        guard FAIFacts.debianPackageCommands.contains(command), UpperCasePackageName.hasUpperCase(outsideVariables: name) else { return }
        throw fail("upper case in package name \(quote(name)): Debian package names are lower case, so apt will not find it",
                   "write it in lower case (lint's upper-case-package-name check)")
    }


    /// install_packages passes package names to the shell unquoted: only the
    /// characters of package names, versions, releases and its +/- suffixes.
    static func packageName(_ name: String) throws(InputError) {
        guard let first = name.utf8.first, isAlphanumeric(first), name.count <= 255,
              name.utf8.allSatisfy({ isAlphanumeric($0) || "_+.~:=/-".utf8.contains($0) }) else {
            throw fail("invalid package name \(quote(name))", "a package is A-Z, a-z, 0-9 and _ + . ~ : = / -, starting with a letter or digit")
        }
    }

    /// A path fcopy installs: absolute, no `.` or `..` step, a plain character set,
    /// since it becomes directories under files/ and an argument of fcopy.
    static func installPath(_ path: String) throws(InputError) {
        // Below the root it is a path inside files/: the one check every such path passes.
        guard path.hasPrefix("/"), path.count <= 1024, RelativePath.problem(String(path.dropFirst())) == nil,
              path.utf8.allSatisfy({ isAlphanumeric($0) || "/_.+@,:-".utf8.contains($0) }) else {
            throw fail("invalid file path \(quote(path))", "give an absolute path such as /etc/motd (A-Z, a-z, 0-9 and / _ . + @ , : -; each part at most 255 bytes)")
        }
    }

    /// fcopy hands owner and group names to a shell inside the target: account names only.
    static func accountName(_ name: String, what: String) throws(InputError) {
        guard let first = name.utf8.first, isLetter(first) || first == 95 || isDigit(first), name.count <= 32,
              name.utf8.allSatisfy({ isAlphanumeric($0) || "_-".utf8.contains($0) }) else {
            throw fail("invalid \(what) \(quote(name))", "give an account name (A-Z, a-z, 0-9, _ and -) or a number")
        }
    }

    /// A host name (`HostName` says what one is).
    static func hostName(_ name: String) throws(InputError) -> HostName {
        guard let hostName = HostName(name) else {
            let problem = HostName.problem(name) ?? ("invalid host name \(quote(name))", "")
            throw fail(problem.message, problem.hint)
        }
        return hostName
    }

    /// A network card's MAC address: six hex pairs, one address for a host, never a group.
    static func mac(_ value: String) throws(InputError) -> MACAddress {
        guard let mac = MACAddress(value) else {
            throw fail("invalid MAC address \(quote(value))", "write six hex pairs (0-9, a-f) separated by colons, such as 52:54:00:12:34:56")
        }
        guard !mac.isGroup else {
            throw fail("MAC address \(mac) is a multicast address", "a network card's MAC has an even first octet; check the address")
        }
        return mac
    }

    /// An IPv4 or IPv6 address, as the system's `inet_pton` reads it.
    static func ipAddress(_ value: String) throws(InputError) -> IPAddress {
        guard let ip = IPAddress(value) else {
            throw fail("invalid IP address \(quote(value))",
                       "write an IPv4 address in dotted decimal without leading zeros, such as 10.1.1.10, or an IPv6 address such as 2001:db8::10")
        }
        return ip
    }

    static func quote(_ text: String) -> String {
        "'" + text + "'"
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    static func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102) }
    static func isLetter(_ byte: UInt8) -> Bool { (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
