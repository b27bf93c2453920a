/// Makes what the writer has committed durable: after `sync()` returns, every transaction
/// committed before it was called survives a power cut.
protocol LogSync: Sendable {
    func sync() throws
}
