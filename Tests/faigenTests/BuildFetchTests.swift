// BuildFetchTests: FAI's own get-config-dir fetches a build over http and https and unpacks exactly the built tree.
import FaiSpace
import Foundation
import Testing

/// A static file server for the test: Python's http.server on 127.0.0.1, port chosen by the
/// kernel and written to a file, TLS when given a certificate.
let testServer = """
    import http.server, ssl, sys, functools
    directory, port_file = sys.argv[1], sys.argv[2]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    if len(sys.argv) > 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()
    """

@Suite struct BuildFetchedByFAI {
    /// Builds a base (the fai-doc example plus links, an empty directory, a long path) with the
    /// default site, serves OUTPUT on 127.0.0.1 inside a private network and mount namespace,
    /// and runs fai-client's get-config-dir as FAI does (subroutines sourced, ramdisk on
    /// /var/lib/fai, /run private). The tree it unpacks into $FAI must be the rendered tree,
    /// byte for byte and mode for mode, plus the version file; FAI's "done" proves nothing.
    @Test(arguments: ["http", "https"])
    func getConfigDirUnpacksExactlyTheBuiltTree(_ scheme: String) throws {
        let getConfigDir = try requireTool("/usr/lib/fai/get-config-dir", package: "fai-client")
        _ = try requireTool("/usr/sbin/ftar", package: "fai-client")
        _ = try requireTool("/usr/bin/curl", package: "curl")
        let python = try requireTool("/usr/bin/python3", package: "python3")
        let unshare = try requireTool("/usr/bin/unshare", package: "util-linux")
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let dir = try scratchDirectory("fetch\(scheme)")
        let base = dir.appendingPathComponent("base")
        #expect(try run("/bin/cp", ["-a", faiDocExample, base.path]).status == 0)
        try makeBase(base)
        let output = dir.appendingPathComponent("www")
        let built = try faigen("build", "--base", base.path, "--output", output.path,
                               "--url", "\(scheme)://127.0.0.1:PORT", directory: dir)
        #expect(built.status == 0, "\(built.stderr)")
        let version = try versionDirectories(output).first ?? ""
        #expect(built.stdout == "\(scheme)://127.0.0.1:PORT/\(version)/faiconfig.tar.gz\n")

        var certificate = ""
        if scheme == "https" {
            let openssl = try requireTool("/usr/bin/openssl", package: "openssl")
            let made = try run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                                         "-addext", "subjectAltName=IP:127.0.0.1",
                                         "-keyout", dir.path + "/key.pem", "-out", dir.path + "/cert.pem"])
            #expect(made.status == 0, "\(made.stderr)")
            certificate = dir.path + "/cert.pem"
        }
        try testServer.write(to: dir.appendingPathComponent("server.py"), atomically: true, encoding: .utf8)
        let fetched = dir.appendingPathComponent("fetched")
        let script = """
            export PATH=/usr/sbin:/usr/bin:/sbin:/bin
            dir=$1 scheme=$2 version=$3 python=$4 getconfigdir=$5 cert=$6
            ip link set lo up || exit 90
            if [ "$scheme" = https ]; then
                "$python" "$dir/server.py" "$dir/www" "$dir/port" "$cert" "$dir/key.pem" 2> "$dir/server.log" &
            else
                "$python" "$dir/server.py" "$dir/www" "$dir/port" 2> "$dir/server.log" &
            fi
            server=$!
            # SIGKILL: a process the test runner starts may inherit a mask that blocks SIGTERM.
            trap 'kill -KILL $server; wait $server' EXIT
            tries=0
            while [ ! -s "$dir/port" ]; do
                tries=$((tries + 1)); [ $tries -gt 300 ] && exit 91
                sleep 0.1
            done
            port=$(cat "$dir/port")
            # Only inside this mount namespace: a /var/lib that has a fai directory (FAI's
            # nfsroot has one; this host need not), with a tmpfs on it as in the nfsroot.
            mount -t tmpfs tmpfs /var/lib || exit 92
            mkdir /var/lib/fai && mount -t tmpfs tmpfs /var/lib/fai || exit 92
            mount -t tmpfs tmpfs /run || exit 93
            mkdir -p /run/fai "$dir/log"
            export FAI=/var/lib/fai/config LOGDIR="$dir/log" faimond=0
            export FAI_CONFIG_SRC="$scheme://127.0.0.1:$port/$version/faiconfig.tar.gz"
            export PATH=/usr/lib/fai:/usr/sbin:/usr/bin:/sbin:/bin
            [ -n "$cert" ] && export CURL_CA_BUNDLE="$cert"
            set -a
            . /usr/lib/fai/subroutines
            set +a
            "$getconfigdir" > "$dir/get-config-dir.log" 2>&1
            echo $? > "$dir/get-config-dir.status"
            cp -a "$FAI" "$dir/fetched"
            """
        let result = try run(unshare, ["-m", "-n", "--propagation", "private", "/bin/bash", "-c", script, "bash",
                                       dir.path, scheme, version, python, getConfigDir, certificate])
        let log = (try? String(contentsOf: dir.appendingPathComponent("get-config-dir.log"), encoding: .utf8)) ?? ""
        #expect(result.status == 0, "\(result.stderr)\(log)")
        #expect((try? String(contentsOf: dir.appendingPathComponent("get-config-dir.status"), encoding: .utf8)) == "0\n", "\(log)")

        let rendered = dir.appendingPathComponent("rendered")
        #expect(try faigen("render", "--starter", "--base", base.path, rendered.path, directory: dir).status == 0)
        var expected = modeTree(rendered.path, withoutFaigen: true)
        expected[".faigen"] = "directory 755"
        expected[".faigen/version"] = "file 644 \(sha256Hex(Array((version + "\n").utf8)))"
        let got = modeTree(fetched.path)
        #expect(got.count > 40)
        for path in Set(expected.keys).union(got.keys).sorted() where expected[path] != got[path] {
            Issue.record("\(path): built \(expected[path] ?? "nothing"), FAI unpacked \(got[path] ?? "nothing")")
        }
        #expect((try? String(contentsOf: fetched.appendingPathComponent(".faigen/version"), encoding: .utf8)) == version + "\n")
        // And the manifest published beside the archive describes what FAI unpacked.
        let mtree = try requireTool("/usr/bin/mtree", package: "mtree-netbsd")
        let verified = try run(mtree, ["-p", fetched.path, "-f", output.path + "/" + version + "/faiconfig.mtree"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }
}
