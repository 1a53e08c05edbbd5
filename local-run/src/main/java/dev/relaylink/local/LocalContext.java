package dev.relaylink.local;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.UUID;
import java.util.logging.Logger;

/** What the Functions host hands a function: its name, an invocation id and a logger. */
record LocalContext(String getFunctionName, String getInvocationId, Logger getLogger) implements ExecutionContext {
    static LocalContext of(String functionName) {
        Logger logger = Logger.getLogger("relay-link.local." + functionName);
        logger.setLevel(java.util.logging.Level.WARNING); // the run prints its own lines; the audit log has the rest
        return new LocalContext(functionName, UUID.randomUUID().toString(), logger);
    }
}
