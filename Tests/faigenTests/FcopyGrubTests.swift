// FcopyGrubTests: fcopy installs the rendered menu.lst into a chroot target and runs its postinst.
import FaiSpace
import Foundation
import Testing

/// A scratch install target that `chroot` can enter: /bin/sh (dash and its libraries)
/// and recording stubs for update-grub and grub-install, which append their name and
/// arguments to /stub.log inside the target.
struct ChrootTarget {
    var root: URL
    var log: URL { root.appendingPathComponent("stub.log") }

    init(at root: URL, failing: String? = nil) throws {
        self.root = root
        let fm = FileManager.default
        let dash = try requireTool("/bin/dash", package: "dash")
        var copies = [dash]
        // The dynamic loader and libraries dash needs, as ldd names them.
        let ldd = try run("/usr/bin/ldd", [dash])
        for word in ldd.stdout.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) where word.hasPrefix("/") {
            copies.append(String(word))
        }
        for path in copies {
            let destination = root.appendingPathComponent(String(path.dropFirst()))
            try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path, toPath: destination.path)
        }
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("bin/sh").path, withDestinationPath: "dash")
        for stub in ["update-grub", "grub-install"] {
            let url = root.appendingPathComponent("usr/sbin/\(stub)")
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let body = "#!/bin/sh\necho \(stub) \"$@\" >> /stub.log\n" + (stub == failing ? "exit 1\n" : "exit 0\n")
            try body.write(to: url, atomically: true, encoding: .utf8)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
    }

    var calls: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// Runs fcopy for /boot/grub/menu.lst from `space` into `target` with `classes`,
/// as FAI's task configure does (classes, one a line as FAI reads them from FAI_CLASSES,
/// and LOGDIR in the environment).
func fcopyMenu(space: RenderedSpace, target: ChrootTarget, classes: [String]) throws -> RunResult {
    let fcopy = try requireTool("/usr/sbin/fcopy", package: "fai-client")
    _ = try requireTool("/usr/sbin/chroot", package: "coreutils")
    let logdir = space.root.appendingPathComponent("log")
    try FileManager.default.createDirectory(at: logdir, withIntermediateDirectories: true)
    return try run(fcopy, ["-s", space.config.appendingPathComponent("files").path, "-t", target.root.path, "/boot/grub/menu.lst"],
                   environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "classes": classes.joined(separator: "\n"), "LOGDIR": logdir.path])
}

@Suite struct FcopyMenuLst {
    @Test func xenServerGuestGetsPlaceholdersFilledAndNoMbrInstall() throws {
        let space = try RenderedSpace()
        let target = try ChrootTarget(at: space.root.appendingPathComponent("target"))
        let result = try fcopyMenu(space: space, target: target, classes: ["DEFAULT", "XENSERVER", "client01", "LAST"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let menu = try String(contentsOf: target.root.appendingPathComponent("boot/grub/menu.lst"), encoding: .utf8)
        #expect(menu.contains("root            (hd0,0)\n"))
        #expect(menu.contains("kernel          /vmlinuz root=/dev/xvda1 ro console=hvc0\n"))
        #expect(menu.contains("# kopt=root=/dev/xvda1 ro console=hvc0\n") && menu.contains("# groot=(hd0,0)\n"))
        #expect(!menu.contains("#ROOT_PARTITION#") && !menu.contains("#GROOT#"))
        #expect(target.calls == ["update-grub"])
    }

    /// FAI exports disk_var.sh's ROOT_PARTITION (the building machine's UUID= or loop device)
    /// into fcopy's environment: on the guest the spec's values win over it.
    @Test func theSpecsRootPartitionAndGrootWinOverTheEnvironmentOnTheGuest() throws {
        let space = try RenderedSpace()
        let target = try ChrootTarget(at: space.root.appendingPathComponent("target"))
        let fcopy = try requireTool("/usr/sbin/fcopy", package: "fai-client")
        let result = try run(fcopy, ["-s", space.config.appendingPathComponent("files").path, "-t", target.root.path, "/boot/grub/menu.lst"],
                             environment: ["PATH": "/usr/sbin:/usr/bin:/bin", "classes": "DEFAULT XENSERVER LAST",
                                           "ROOT_PARTITION": "UUID=0b6f6a0e-2d5c-4c61-9f0e-2a4b0c1d2e3f", "GROOT": "(hostdisk//dev/loop0,0)"])
        #expect(result.status == 0, "\(result.stderr)")
        let menu = try String(contentsOf: target.root.appendingPathComponent("boot/grub/menu.lst"), encoding: .utf8)
        #expect(menu.contains("# kopt=root=/dev/xvda1 ro console=hvc0\n") && menu.contains("# groot=(hd0,0)\n"), "\(menu)")
        #expect(!menu.contains("UUID=") && !menu.contains("hostdisk"))
    }

    /// grub-legacy's update-grub reads `# kopt=` and `# groot=` only between its Start and End
    /// Default Options lines, inside the automagic list (the e2e test runs the real one).
    @Test func theGuestsOptionsSitWhereUpdateGrubReadsThem() throws {
        let space = try RenderedSpace()
        let target = try ChrootTarget(at: space.root.appendingPathComponent("target"))
        let result = try fcopyMenu(space: space, target: target, classes: ["DEFAULT", "XENSERVER", "LAST"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOf: target.root.appendingPathComponent("boot/grub/menu.lst"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let markers = ["### BEGIN AUTOMAGIC KERNELS LIST", "## ## Start Default Options ##", "## ## End Default Options ##",
                       "### END DEBIAN AUTOMAGIC KERNELS LIST"].map { lines.firstIndex(of: $0) }
        let indices = markers.compactMap { $0 }
        try #require(indices.count == 4 && indices == indices.sorted(), "markers missing or out of order: \(markers)")
        for option in ["# kopt=root=/dev/xvda1 ro console=hvc0", "# groot=(hd0,0)"] {
            let at = try #require(lines.firstIndex(of: option), "no \(option)")
            #expect(indices[1] < at && at < indices[2], "\(option) is outside the Default Options")
        }
    }

    /// On other hosts disk_var.sh's values (or the environment's) stand; they reach perl as data.
    @Test func otherHostsKeepTheEnvironmentsRootPartitionAsPlainText() throws {
        let space = try RenderedSpace()
        try "default 0\n# kopt=root=#ROOT_PARTITION# ro\n# groot=#GROOT#\n"
            .write(to: space.config.appendingPathComponent("files/boot/grub/menu.lst/DEFAULT"), atomically: true, encoding: .utf8)
        let target = try ChrootTarget(at: space.root.appendingPathComponent("target"))
        let logdir = space.root.appendingPathComponent("log")
        try FileManager.default.createDirectory(at: logdir, withIntermediateDirectories: true)
        try "BOOT_DEVICE=${BOOT_DEVICE:-\"/dev/vda\"}\nROOT_PARTITION=${ROOT_PARTITION:-/dev/vda1}\n"
            .write(to: logdir.appendingPathComponent("disk_var.sh"), atomically: true, encoding: .utf8)
        let fcopy = try requireTool("/usr/sbin/fcopy", package: "fai-client")
        // A value with perl and shell syntax in it must arrive as plain text.
        let result = try run(fcopy, ["-s", space.config.appendingPathComponent("files").path, "-t", target.root.path, "/boot/grub/menu.lst"],
                             environment: ["PATH": "/usr/sbin:/usr/bin:/bin", "classes": "DEFAULT LAST", "LOGDIR": logdir.path,
                                           "ROOT_PARTITION": "/dev/xvdb2$(id)@{[die]}", "GROOT": "(hd1,1)"])
        #expect(result.status == 0, "\(result.stderr)")
        let menu = try String(contentsOf: target.root.appendingPathComponent("boot/grub/menu.lst"), encoding: .utf8)
        #expect(menu.contains("# kopt=root=/dev/xvdb2$(id)@{[die]} ro\n") && menu.contains("# groot=(hd1,1)\n"), "\(menu)")
    }

    @Test func otherHostsInstallGrubOnTheBootDevice() throws {
        let space = try RenderedSpace()
        // A hand-written menu.lst for every other host, beside the generated XENSERVER one.
        let handWritten = space.config.appendingPathComponent("files/boot/grub/menu.lst/DEFAULT")
        try "default 0\ntimeout 5\n# kopt=root=#ROOT_PARTITION# ro\n# groot=#GROOT#\n".write(to: handWritten, atomically: true, encoding: .utf8)
        let target = try ChrootTarget(at: space.root.appendingPathComponent("target"))
        let logdir = space.root.appendingPathComponent("log")
        try FileManager.default.createDirectory(at: logdir, withIntermediateDirectories: true)
        try "BOOT_DEVICE=${BOOT_DEVICE:-\"/dev/vda\"}\nROOT_PARTITION=${ROOT_PARTITION:-/dev/vda1}\nBOOT_PARTITION=${BOOT_PARTITION:-/dev/vda1}\n"
            .write(to: logdir.appendingPathComponent("disk_var.sh"), atomically: true, encoding: .utf8)
        let result = try fcopyMenu(space: space, target: target, classes: ["DEFAULT", "client01", "LAST"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(target.calls == ["grub-install /dev/vda", "update-grub"])
        let menu = try String(contentsOf: target.root.appendingPathComponent("boot/grub/menu.lst"), encoding: .utf8)
        #expect(menu.contains("# kopt=root=/dev/vda1 ro\n"))
    }

    @Test func otherHostsWithoutDiskVarFail() throws {
        let space = try RenderedSpace()
        let handWritten = space.config.appendingPathComponent("files/boot/grub/menu.lst/DEFAULT")
        try "default 0\n".write(to: handWritten, atomically: true, encoding: .utf8)
        let target = try ChrootTarget(at: space.root.appendingPathComponent("target"))
        let result = try fcopyMenu(space: space, target: target, classes: ["DEFAULT", "LAST"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("disk_var.sh is missing") && result.stderr.contains("postinst returned code 1"), "\(result.stderr)")
        #expect(target.calls.isEmpty)
    }

    @Test(arguments: ["update-grub", "grub-install"])
    func aFailingStepFailsThePostinst(stub: String) throws {
        let space = try RenderedSpace("failing\(stub)")
        let target = try ChrootTarget(at: space.root.appendingPathComponent("target"), failing: stub)
        let classes: [String]
        if stub == "grub-install" {
            try "default 0\n".write(to: space.config.appendingPathComponent("files/boot/grub/menu.lst/DEFAULT"), atomically: true, encoding: .utf8)
            let logdir = space.root.appendingPathComponent("log")
            try FileManager.default.createDirectory(at: logdir, withIntermediateDirectories: true)
            try "BOOT_DEVICE=/dev/sda\n".write(to: logdir.appendingPathComponent("disk_var.sh"), atomically: true, encoding: .utf8)
            classes = ["DEFAULT", "LAST"]
        } else {
            classes = ["DEFAULT", "XENSERVER", "LAST"]
        }
        let result = try fcopyMenu(space: space, target: target, classes: classes)
        #expect(result.status != 0, "\(result.stdout)")
        #expect(result.stderr.contains("ERROR: postinst returned code 1") && result.stderr.contains("\(stub)"), "\(result.stderr)")
        #expect(target.calls.first?.hasPrefix(stub) == true)
    }
}

@Suite struct GeneratedFcopyScripts {
    /// scripts/CLASS/90-faigen-files run as FAI's task configure runs it: fcopy installs
    /// each file with the spec's mode, through -m or through file-modes.
    @Test func filesArriveWithTheirModes() throws {
        _ = try requireTool("/usr/sbin/fcopy", package: "fai-client")
        let dir = try scratchDirectory()
        let spec = dir.appendingPathComponent("site.yaml")
        try """
            site: modes
            version: 1
            classes:
              WEB:
                files:
                  /etc/motd: {content: "web\\n", mode: "0604", owner: "0", group: "0"}
                  /etc/web.conf: {content: "port 80\\n", mode: "0640", owner: "0", group: "0"}
              MAIL:
                files:
                  /etc/motd: {content: "mail\\n", mode: "0600", owner: "0", group: "0"}
            """.write(to: spec, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("config")
        #expect(try faigen("render", "--spec", spec.path, config.path).status == 0)
        #expect(FileManager.default.fileExists(atPath: config.appendingPathComponent("files/etc/motd/file-modes").path))
        for (classes, script, motd, motdMode) in [(["DEFAULT", "WEB", "LAST"], "WEB", "web\n", 0o604), (["DEFAULT", "WEB", "MAIL", "LAST"], "MAIL", "mail\n", 0o600)] {
            let target = dir.appendingPathComponent("target-\(script)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "FAI": config.path, "target": target.path,
                               "classes": classes.joined(separator: "\n")]
            let result = try run(config.appendingPathComponent("scripts/\(script)/90-faigen-files").path, [], environment: environment)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let installed = target.appendingPathComponent("etc/motd")
            #expect(try String(contentsOf: installed, encoding: .utf8) == motd)
            #expect((try FileManager.default.attributesOfItem(atPath: installed.path)[.posixPermissions] as? Int) == motdMode)
        }
        let conf = dir.appendingPathComponent("target-WEB/etc/web.conf")
        #expect((try FileManager.default.attributesOfItem(atPath: conf.path)[.posixPermissions] as? Int) == 0o640)
    }
}
