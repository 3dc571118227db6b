package io.etcdj.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Encodes a log event as one JSON line in the shape of etcd's zap production logger:
 * {@code {"level":"info","ts":"…","caller":"embed/Etcd.java:88","msg":"…", fields…}}.
 * Fields come from SLF4J's key-value API ({@code log.atInfo().addKeyValue("k", v).log(msg)}),
 * so log processors written for etcd find the same keys.
 */
public final class ZapJsonEncoder extends EncoderBase<ILoggingEvent> {

    private static final byte[] EMPTY = new byte[0];
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    @Override
    public byte[] headerBytes() {
        return EMPTY;
    }

    @Override
    public byte[] footerBytes() {
        return EMPTY;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"level\":\"").append(levelName(event.getLevel())).append('"');
        line.append(",\"ts\":\"").append(TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp()))).append('"');
        String caller = caller(event);
        if (caller != null) {
            line.append(",\"caller\":");
            JsonText.appendString(line, caller);
        }
        line.append(",\"msg\":");
        JsonText.appendString(line, event.getFormattedMessage());
        List<KeyValuePair> fields = event.getKeyValuePairs();
        if (fields != null) {
            for (KeyValuePair field : fields) {
                line.append(',');
                JsonText.appendString(line, field.key);
                line.append(':');
                JsonText.appendValue(line, field.value);
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            line.append(",\"error\":");
            JsonText.appendString(line, error.getClassName() + ": " + error.getMessage());
            line.append(",\"stacktrace\":");
            JsonText.appendString(line, ThrowableProxyUtil.asString(error));
        }
        line.append("}\n");
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** zap's level names: debug, info, warn, error. */
    static String levelName(Level level) {
        return switch (level.toInt()) {
            case Level.TRACE_INT, Level.DEBUG_INT -> "debug";
            case Level.INFO_INT -> "info";
            case Level.WARN_INT -> "warn";
            default -> "error";
        };
    }

    /** {@code package/File.java:line} of the logging call, zap's short caller form. */
    private static String caller(ILoggingEvent event) {
        StackTraceElement[] callerData = event.getCallerData();
        if (callerData == null || callerData.length == 0) {
            return null;
        }
        StackTraceElement frame = callerData[0];
        String className = frame.getClassName();
        int lastDot = className.lastIndexOf('.');
        String packagePath = lastDot < 0 ? "" : className.substring(0, lastDot);
        String lastPackage = packagePath.substring(packagePath.lastIndexOf('.') + 1);
        return (lastPackage.isEmpty() ? "" : lastPackage + "/") + frame.getFileName() + ":" + frame.getLineNumber();
    }
}
