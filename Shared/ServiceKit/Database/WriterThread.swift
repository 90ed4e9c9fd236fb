import NIOPosix

/// One thread for an SQLite file's writes: the writer connection's calls into libsqlite3 run on it, and so does the
/// Swift code of a write transaction between them (as the transaction's task executor). A transaction of five
/// statements was otherwise ten hand-overs between threads (to the thread pool for each statement, and back to the
/// concurrency pool for the code after it), each waiting for a busy core while the single writer was held; here the
/// statement and the code after it are the next two items on the same thread's queue.
final class WriterThread: TaskExecutor, Sendable {
    let pool: NIOThreadPool

    init() {
        self.pool = NIOThreadPool(numberOfThreads: 1)
        self.pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // A stopped pool runs the item at once, here, with `.cancelled`: the job still runs (a task is never lost).
        self.pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func shutdown() async {
        try? await self.pool.shutdownGracefully()
    }
}
