package io.contactmirror.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorResponseWriter;
import io.contactmirror.web.RequestIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 429 with {@code Retry-After} once a token spends its budget, so one client cannot starve the others; also
 * puts the tenant into the logging context of the request.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimitProperties properties;
    private final ErrorResponseWriter errorWriter;
    // Evicted when idle, so the map does not grow with every token ever seen.
    private final Cache<UUID, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    RateLimitFilter(RateLimitProperties properties, ErrorResponseWriter errorWriter) {
        this.properties = properties;
        this.errorWriter = errorWriter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof TenantPrincipal principal) {
            MDC.put(RequestIdFilter.TENANT_MDC_KEY, principal.tenantId().toString());
            if (properties.requestsPerSecond() > 0) {
                Bucket bucket = buckets.get(principal.tokenId(), id -> new Bucket(properties.burst()));
                double waitSeconds = bucket.take(properties.requestsPerSecond(), properties.burst(), System.nanoTime());
                if (waitSeconds > 0) {
                    response.setHeader("Retry-After", Long.toString((long) Math.ceil(waitSeconds)));
                    errorWriter.write(
                            request,
                            response,
                            ErrorCode.TOO_MANY_REQUESTS,
                            "Too many requests for this token; retry after the Retry-After seconds");
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    /** Tokens refill continuously; {@link #take} answers 0 when a request may pass, else the seconds to wait. */
    static final class Bucket {
        private double tokens;
        private long updatedAt = System.nanoTime();

        Bucket(int burst) {
            this.tokens = burst;
        }

        synchronized double take(double perSecond, int burst, long now) {
            refill(perSecond, burst, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (1 - tokens) / perSecond;
        }

        /** Like {@link #take} without spending: 0 while at least one request is left. */
        synchronized double waitSeconds(double perSecond, int burst, long now) {
            refill(perSecond, burst, now);
            return tokens >= 1 ? 0 : (1 - tokens) / perSecond;
        }

        private void refill(double perSecond, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - updatedAt) / 1e9 * perSecond);
            updatedAt = now;
        }
    }
}
