// PackageList: parsed as install_packages reads it, written back byte for byte.
import Testing
@testable import FaiSpace

@Suite struct PackageListTests {
    static let sample = """
        # packages for every Debian host
        PACKAGES install-norec   # the base
        debconf-utils file
        exim4- nano-   # removed
        linux-image-${arch}
        firmware-linux/bookworm-backports

        PACKAGES install release=bookworm-backports GNOME XFCE
        firefox-esr  thunderbird
        PACKAGES aptitude ! MINT
        PRELOAD file:/srv/x.deb /var/cache/apt/archives
        PACKAGES install-norec\tDEBIAN\r
        vim\r

        """

    @Test func sectionsOptionsAndClasses() throws {
        let list = try PackageList(path: "package_config/DEBIAN", contents: Array(Self.sample.utf8))
        #expect(list.className == "DEBIAN")
        #expect(list.preamble.map(\.content) == [.comment])
        #expect(list.preamble.first?.comment == "# packages for every Debian host")
        #expect(list.sections.count == 4)
        let first = list.sections[0]
        #expect(first.command == PackagesCommand(command: "install-norec"))
        #expect(first.header.number == 2)
        #expect(first.header.comment == "# the base")
        #expect(first.packages.map(\.word) == ["debconf-utils", "file", "exim4-", "nano-", "linux-image-${arch}",
                                               "firmware-linux/bookworm-backports"])
        #expect(first.packages.filter(\.isRemoval).map(\.name) == ["exim4", "nano"])
        #expect(first.packages[4].hasVariable)
        #expect(first.packages[5].name == "firmware-linux")
        #expect(first.packages[5].release == "bookworm-backports")
        #expect(first.lines.last?.content == .blank)
        #expect(first.lines.map(\.number) == [3, 4, 5, 6, 7])
        let second = list.sections[1]
        #expect(second.command?.option == "release=bookworm-backports")
        #expect(second.command?.release == "bookworm-backports")
        #expect(second.command?.classes == ["GNOME", "XFCE"])
        #expect(second.command?.isClassExpression == false)
        #expect(second.packages.map(\.name) == ["firefox-esr", "thunderbird"])
        let third = list.sections[2]
        #expect(third.command?.classes == ["!", "MINT"])
        #expect(third.command?.isClassExpression == true)
        #expect(third.lines.first?.content == .preload(url: "file:/srv/x.deb", directory: "/var/cache/apt/archives"))
        let fourth = list.sections[3]
        #expect(fourth.command == PackagesCommand(command: "install-norec", classes: ["DEBIAN"]))
        #expect(fourth.packages.map(\.name) == ["vim"])
        #expect(list.endsWithNewline)
    }

    @Test func unchangedListIsWrittenByteForByte() throws {
        for text in [Self.sample, "", "\n", "PACKAGES install\nvim", "vim\n\n\n", "PACKAGES  install  \t\n a  b #c\n"] {
            let list = try PackageList(path: "package_config/X", contents: Array(text.utf8))
            #expect(list.contents == Array(text.utf8), "\(text.debugDescription)")
        }
    }

    @Test func onlyEditedLinesAreReserialised() throws {
        var list = try PackageList(path: "package_config/DEBIAN", contents: Array(Self.sample.utf8))
        list.sections[1].lines[0].content = .packages([PackageReference("firefox-esr"), PackageReference(name: "mutt", remove: true)])
        list.sections[1].header.content = .packagesCommand(PackagesCommand(command: "install", classes: ["GNOME"]))
        list.sections.append(PackageSection(command: "remove", lines: [PackageListLine(.packages([PackageReference("nano")]))]))
        let expected = Self.sample
            .replacingOccurrences(of: "firefox-esr  thunderbird", with: "firefox-esr mutt-")
            .replacingOccurrences(of: "PACKAGES install release=bookworm-backports GNOME XFCE", with: "PACKAGES install GNOME")
            + "PACKAGES remove\nnano\n"
        #expect(String(decoding: list.contents, as: UTF8.self) == expected)
    }

    @Test func packagesCommandFollowsReadconfig() {
        // Not at column 0, or without a command: install_packages reads package words.
        #expect(PackageListLine(parsing: " PACKAGES install", number: 1).packages.map(\.word) == ["PACKAGES", "install"])
        #expect(PackageListLine(parsing: "PACKAGES", number: 1).packages.map(\.word) == ["PACKAGES"])
        // `#` starts a comment anywhere, as readconfig's s/#.*$//.
        let line = PackageListLine(parsing: "vim#editor", number: 1)
        #expect(line.packages.map(\.word) == ["vim"])
        #expect(line.comment == "#editor")
        // Only NAME=VALUE right after the command is the option.
        let header = PackageListLine(parsing: "PACKAGES install foo=bar DEBIAN", number: 1)
        #expect(header.content == .packagesCommand(PackagesCommand(command: "install", option: "foo=bar", classes: ["DEBIAN"])))
        #expect(PackagesCommand(command: "install", option: "foo=bar").release == nil)
        #expect(PackagesCommand(command: "install").isKnown)
        #expect(!PackagesCommand(command: "instal").isKnown)
        #expect(PackageReference("-").isRemoval == false)
    }

    @Test func binaryListIsOneErrorAtTheFirstBadByte() {
        #expect {
            try PackageList(path: "package_config/DEBIAN", contents: Array("PACKAGES install\nvi\u{0}m\n".utf8))
        } throws: { error in
            (error as? InputError)?.description.hasPrefix("package_config/DEBIAN:2:3: binary file (NUL byte) where a package list should be") == true
        }
        #expect {
            try PackageList(path: "package_config/DEBIAN", contents: [0x50, 0x0A, 0x61, 0xFF, 0x62])
        } throws: { error in
            (error as? InputError)?.description.hasPrefix("package_config/DEBIAN:2:2: binary file (not UTF-8 text)") == true
        }
    }
}
