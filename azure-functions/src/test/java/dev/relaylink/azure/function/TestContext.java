package dev.relaylink.azure.function;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The ExecutionContext the Functions worker passes, with a logger that keeps what the function logged. */
final class TestContext implements ExecutionContext {
    private final String functionName;
    private final String invocationId = UUID.randomUUID().toString();
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    TestContext(String functionName) {
        this.functionName = functionName;
        this.logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    List<String> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).map(LogRecord::getMessage).toList();
    }
}
