import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Holds one connection to its deadlines and its place in the ``ConnectionBudget``: a request
/// head within `headerTimeout` of connecting (or `idleTimeout` after the last response), its
/// body within `bodyTimeout` of the head. A connection past its deadline is closed.
///
/// It sits after HTTP decoding, so it sees whole request heads; a client that trickles header
/// bytes never produces one and is closed at the header deadline.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let budget: ConnectionBudget
    private var id: Int?
    private var deadline: Scheduled<Void>?

    init(budget: ConnectionBudget) {
        self.budget = budget
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { activate(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            if let id { budget.update(id, waiting: false, now: .now) }
            closeAfter(budget.limits.bodyTimeout, context)
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            if let id { budget.update(id, waiting: true, now: .now) }
            closeAfter(budget.limits.idleTimeout, context)
        }
        context.write(data, promise: promise)
    }

    private func activate(_ context: ChannelHandlerContext) {
        guard id == nil else { return }
        let channel = context.channel
        switch budget.admit(now: .now, close: { channel.close(promise: nil) }) {
        case .admitted(let admitted):
            id = admitted
            closeAfter(budget.limits.headerTimeout, context)
        case .refused:
            context.close(promise: nil)
        }
    }

    private func closeAfter(_ timeout: Duration, _ context: ChannelHandlerContext) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) { channel.close(promise: nil) }
    }

    private func release() {
        deadline?.cancel()
        deadline = nil
        if let id { budget.remove(id) }
        id = nil
    }
}
