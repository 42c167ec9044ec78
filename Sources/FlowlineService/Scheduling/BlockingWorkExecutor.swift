import Foundation

/// A fixed set of dedicated threads for task code that blocks: SQLite calls (which wait on the
/// store's lock and on fsync), libpq, and file writes.
///
/// The server runs every request handler, every background run and the scheduler with this as
/// their task executor preference (`withTaskExecutorPreference`), so a blocking call holds one of
/// these threads and never one of the few threads of Swift's cooperative pool, which the HTTP
/// server and the rest of the process need to stay responsive. Actor-isolated code still runs on
/// its actor; only nonisolated async code follows the preference.
public final class BlockingWorkExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `pending` and `head` are only touched while `condition` is locked; the thread
    // count is immutable.
    private let condition = NSCondition()
    private var pending: [UnownedJob] = []
    private var head = 0
    public let threadCount: Int

    /// Starts `threads` threads named `name-N` (Linux keeps 15 characters of a thread's name);
    /// they live as long as the process.
    public init(threads: Int, name: String = "flowline-io") {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let threadName = "\(name)-\(index)"
            // Named from inside: on Linux a name set before `start()` does not reach the thread.
            let thread = Thread { [self] in
                Thread.current.name = threadName
                work()
            }
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        pending.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == pending.count { condition.wait() }
            let job = pending[head]
            head += 1
            // Drop the consumed prefix now and then so the queue does not grow without end.
            if head >= 1024, head * 2 >= pending.count {
                pending.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
