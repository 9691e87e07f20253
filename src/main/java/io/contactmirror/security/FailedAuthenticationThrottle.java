package io.contactmirror.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorResponseWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per source address budget of failed authentications (unknown, malformed, revoked or wrong tokens, tenant or
 * operator): once spent, that address gets 429 with {@code Retry-After} before its token is even looked up, so
 * guessing tokens, and flooding the database with lookups of random ones, is slow.
 */
final class FailedAuthenticationThrottle extends OncePerRequestFilter {

    private final RateLimitProperties properties;
    private final ErrorResponseWriter errorWriter;
    private final Cache<String, RateLimitFilter.Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    FailedAuthenticationThrottle(RateLimitProperties properties, ErrorResponseWriter errorWriter) {
        this.properties = properties;
        this.errorWriter = errorWriter;
    }

    private double perSecond() {
        return properties.failedAuthPerMinute() / 60.0;
    }

    /** Counts one failed authentication of the request's source address. */
    void failed(HttpServletRequest request) {
        if (properties.failedAuthPerMinute() > 0) {
            buckets.get(request.getRemoteAddr(), address -> new RateLimitFilter.Bucket(properties.failedAuthBurst()))
                    .take(perSecond(), properties.failedAuthBurst(), System.nanoTime());
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimitFilter.Bucket bucket =
                properties.failedAuthPerMinute() > 0 ? buckets.getIfPresent(request.getRemoteAddr()) : null;
        double wait =
                bucket == null ? 0 : bucket.waitSeconds(perSecond(), properties.failedAuthBurst(), System.nanoTime());
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString((long) Math.ceil(wait)));
            errorWriter.write(
                    request,
                    response,
                    ErrorCode.TOO_MANY_REQUESTS,
                    "Too many failed authentications from this address; retry after the Retry-After seconds");
            return;
        }
        chain.doFilter(request, response);
    }
}
