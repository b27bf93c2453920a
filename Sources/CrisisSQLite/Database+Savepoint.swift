import GRDB

extension Database {
    /// Runs `operations` in a savepoint: an error undoes what they wrote, and only that. GRDB's
    /// `inSavepoint` compiles its SAVEPOINT and RELEASE statements on every call, which in a burst
    /// of intakes (a savepoint for each) was a tenth of crisisd's CPU; these are compiled once per
    /// connection.
    func inCachedSavepoint<T>(_ operations: () throws -> T) throws -> T {
        try cachedStatement(sql: "SAVEPOINT crisisd").execute()
        do {
            let value = try operations()
            try cachedStatement(sql: "RELEASE SAVEPOINT crisisd").execute()
            return value
        } catch {
            // When SQLite has rolled the whole transaction back (a full disk), there is no
            // savepoint left to undo: the caller sees that the transaction is gone.
            if isInsideTransaction {
                try? cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT crisisd").execute()
                try? cachedStatement(sql: "RELEASE SAVEPOINT crisisd").execute()
            }
            throw error
        }
    }
}
