// Parallel: independent per-item work (hashing, reading, writing temporary files) spread over every core.
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum Parallel {
    /// The cores work is spread over.
    static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// `transform(index)` for every index in `0..<count`, in index order. The indices are cut
    /// into contiguous chunks (neighbouring paths share a directory, so each core mostly works
    /// in its own) and the chunks run on every core; with little work, or one core, it runs here.
    /// `transform` must touch nothing that another index touches.
    static func map<T>(_ count: Int, minimumChunk: Int = 32, _ transform: (Int) -> T) -> [T] {
        let chunks = min(count / max(1, minimumChunk), cores * 8)
        guard chunks > 1 else { return (0..<count).map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each chunk initializes only its own slots.
            nonisolated(unsafe) let slots = buffer
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let transform = transform
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                        slots.initializeElement(at: index, to: transform(index))
                    }
                }
            }
            initialized = count
        }
    }

    /// ``map(_:minimumChunk:_:)`` of work that can fail: every index runs, then the first
    /// error in index order is thrown, the one a loop over the indices in turn would stop at.
    static func tryMap<T>(_ count: Int, minimumChunk: Int = 32, _ transform: (Int) throws(InputError) -> T) throws(InputError) -> [T] {
        var values: [T] = []
        values.reserveCapacity(count)
        for result in map(count, minimumChunk: minimumChunk, { index in Result { () throws(InputError) in try transform(index) } }) {
            values.append(try result.get())
        }
        return values
    }
}
