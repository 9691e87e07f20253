package io.contactmirror.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Echoes a well-formed {@code X-Request-Id} or generates one, and puts it in the logging context. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    public static final String TENANT_MDC_KEY = "tenantId";
    public static final String INSTANCE_MDC_KEY = "instance";
    static final String ATTRIBUTE = RequestIdFilter.class.getName();
    // Anything else (long, control characters) could poison logs, so it is replaced, not echoed.
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String candidate = request.getHeader(HEADER);
        String requestId = candidate != null && ACCEPTED.matcher(candidate).matches()
                ? candidate
                : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, requestId);
        response.setHeader(HEADER, requestId);
        MDC.put(MDC_KEY, requestId);
        try {
            chain.doFilter(request, response);
        } finally {
            // Also what later filters and the instance resolver added for this request's log lines.
            MDC.remove(MDC_KEY);
            MDC.remove(TENANT_MDC_KEY);
            MDC.remove(INSTANCE_MDC_KEY);
        }
    }

    /**
     * The request's id, creating one for requests the filter never saw (the container answered them before any
     * filter ran, e.g. TRACE, and dispatched straight to the error page).
     */
    static String ensure(HttpServletRequest request, HttpServletResponse response) {
        String requestId = of(request);
        if (requestId == null) {
            requestId = UUID.randomUUID().toString();
            request.setAttribute(ATTRIBUTE, requestId);
        }
        if (!response.isCommitted()) {
            response.setHeader(HEADER, requestId);
        }
        return requestId;
    }

    public static @Nullable String of(HttpServletRequest request) {
        Object value = request.getAttribute(ATTRIBUTE);
        return value != null ? value.toString() : null;
    }
}
