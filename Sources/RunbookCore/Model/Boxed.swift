/// A value kept on the heap, so that a struct holding a large value it seldom has pays one
/// pointer for it instead of the value's full size in every copy.
///
/// Steps and decoded documents are copied many times as a catalog is decoded and linted (into
/// arrays, out of them, into each check), and copying a struct moves all of its bytes: a step's
/// budget and workdir alone were a fifth of a step, though few steps have either.
///
/// Immutable: setting a new value makes a new box, so copies of the holder never share a change.
final class Boxed<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

extension Boxed: Equatable where Value: Equatable {
    static func == (lhs: Boxed, rhs: Boxed) -> Bool {
        lhs === rhs || lhs.value == rhs.value
    }
}
