package io.contactmirror.security;

import io.contactmirror.web.LoggedPath;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes the token out of a Green API path ({@code /waInstance{id}/{method}/{token}}) before anything else sees the
 * request: authentication reads it from a request attribute, and everything downstream (routing, framework debug
 * logs, error log lines) sees the path with {@code ****} in its place.
 */
final class PathTokenFilter extends OncePerRequestFilter implements Ordered {

    static final String ATTRIBUTE = PathTokenFilter.class.getName() + ".token";
    private static final Pattern GREEN_API_PATH = Pattern.compile("^/waInstance[^/]+/[A-Za-z]+/([^/]+)$");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher matcher = GREEN_API_PATH.matcher(request.getRequestURI());
        if (!matcher.matches()) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(ATTRIBUTE, matcher.group(1));
        chain.doFilter(new MaskedPathRequest(request), response);
    }

    @Override
    public int getOrder() {
        // Right after the request id, before the request guard and long before Spring Security.
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }

    private static final class MaskedPathRequest extends HttpServletRequestWrapper {

        MaskedPathRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getRequestURI() {
            return LoggedPath.mask(super.getRequestURI());
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = super.getRequestURL();
            String raw = super.getRequestURI();
            int at = url.lastIndexOf(raw);
            return at < 0 ? url : new StringBuffer(url.substring(0, at)).append(getRequestURI());
        }

        @Override
        public String getServletPath() {
            return LoggedPath.mask(super.getServletPath());
        }

        @Override
        public String getPathInfo() {
            return LoggedPath.mask(super.getPathInfo());
        }
    }
}
