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
        self.pool.submit { state in
            switch state {
            case .active:
                job.runSynchronously(on: self.asUnownedTaskExecutor())
            case .cancelled:
                // The store closed (the pool calls this at once, inside `enqueue`, or while shutting down): the task
                // still runs, on the shared pool, and finds the store closed.
                globalConcurrentExecutor.enqueue(ExecutorJob(job))
            }
        }
    }

    func shutdown() async {
        try? await self.pool.shutdownGracefully()
    }
}
