import ServiceLifecycle
import UnixSignals

/// Reloads the catalog on SIGHUP, the signal Prometheus, Alertmanager and most daemons reload
/// on (`systemctl reload rbx` sends it). Until this service runs, SIGHUP keeps its default
/// action (the process ends), as for those daemons.
struct ReloadSignalService: Service, CustomStringConvertible {
    var reloader: CatalogReloader

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            _ = await reloader.reload(trigger: "SIGHUP")
        }
    }

    var description: String { "ReloadSignalService" }
}
