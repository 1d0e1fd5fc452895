import PostgresNIO

/// Turns postgres-nio's errors into ``StoreError``s a person can act on.
///
/// `PSQLError`'s own description is deliberately generic (it may hold query data), so the
/// server's message, its SQLSTATE and the cause of a connection failure are picked out here.
/// Details that can carry row values (`detail`, the query's binds) are left out.
enum PostgresFailure {
    static func storeError(_ error: any Error, endpoint: String, doing action: String) -> any Error {
        if error is StoreError || error is ClaimLost || error is CancellationError { return error }
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError,
            inner is ClaimLost || inner is StoreError || inner is CancellationError
        {
            return inner
        }
        return StoreError("PostgreSQL at \(endpoint): \(action): \(reason(error))")
    }

    static func reason(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            let inner =
                transaction.beginError ?? transaction.closureError ?? transaction.commitError
                ?? transaction.rollbackError
            return inner.map(reason) ?? "the transaction failed"
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let hint = info[.hint].map { "; \($0)" } ?? ""
            return message + state + hint
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
