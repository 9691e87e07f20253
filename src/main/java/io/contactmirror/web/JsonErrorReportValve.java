package io.contactmirror.web;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report in the API's envelope: what the container rejects before Spring sees the request (an
 * undecodable URL, {@code %2F} in a path, a request line or header over the limit) answers JSON with a
 * {@code request_id} instead of Tomcat's HTML page. Public with a no-argument constructor because Tomcat's host
 * instantiates its error report valve by class name.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorCode code = ErrorCode.forStatus(status);
        Object known = request.getAttribute(RequestIdFilter.ATTRIBUTE);
        String requestId = known != null ? known.toString() : UUID.randomUUID().toString();
        try {
            response.resetBuffer();
            response.setHeader(RequestIdFilter.HEADER, requestId);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                // Only constants and a generated or validated id go into the body, so nothing needs escaping.
                writer.write(
                        "{\"success\":false,\"error\":\"" + code.defaultMessage() + "\",\"error_code\":\"" + code.name()
                                + "\",\"timestamp\":\"" + Instant.now() + "\",\"request_id\":\"" + requestId + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException ex) {
            // The client is gone or the response is unusable; there is nobody left to answer.
        }
    }
}
