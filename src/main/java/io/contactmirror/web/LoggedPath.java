package io.contactmirror.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.springframework.web.servlet.HandlerMapping;

/** The path of a request as it may appear in a log line: the route pattern, or the path with credentials masked. */
public final class LoggedPath {

    // Green API routes carry the token as the last segment: /waInstance{id}/{method}/{token}.
    private static final Pattern PATH_TOKEN = Pattern.compile("^(/waInstance[^/]*/[^/]*/)[^/]+");

    private LoggedPath() {}

    public static String of(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern != null) {
            return pattern.toString();
        }
        return mask(request.getRequestURI());
    }

    public static String mask(String path) {
        return path == null ? null : PATH_TOKEN.matcher(path).replaceFirst("$1****");
    }
}
