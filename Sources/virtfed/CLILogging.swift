import Foundation
import Logging

/// The CLI's logger: quiet unless `VIRTFED_LOG_LEVEL` asks for more; always on stderr.
enum CLILogging {
    static let logger: Logger = {
        var logger = Logger(label: "virtfed", factory: { StreamLogHandler.standardError(label: $0) })
        let level = ProcessInfo.processInfo.environment["VIRTFED_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .critical
        return logger
    }()
}
