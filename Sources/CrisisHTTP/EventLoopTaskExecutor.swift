import NIOCore

/// Runs a task's jobs on one NIO event loop. A request's task that prefers its connection's loop
/// is resumed there by the bytes the loop just read, with no thread woken to hand it over.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
