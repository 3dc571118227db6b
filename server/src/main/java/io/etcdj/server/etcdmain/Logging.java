package io.etcdj.server.etcdmain;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Applies {@code --log-level} to the root logger (zap's levels mapped onto Logback's). */
final class Logging {

    private Logging() {
    }

    static void setLevel(String zapLevel) {
        Level level = switch (zapLevel) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            default -> Level.ERROR;
        };
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
        }
    }
}
