package io.contactmirror.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Replaces Boot's whitelabel/JSON error page so even container-level errors use the envelope. */
@io.swagger.v3.oas.annotations.Hidden
@RestController
class ErrorEndpoint implements ErrorController {

    private final ErrorBodies errorBodies;

    ErrorEndpoint(ErrorBodies errorBodies) {
        this.errorBodies = errorBodies;
    }

    @RequestMapping("/error")
    ResponseEntity<Object> error(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && DatabaseFailures.isUnavailable(failure)) {
            return errorBodies.databaseUnavailable(request);
        }
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer value ? value : 500;
        ErrorCode code = switch (HttpStatus.resolve(status) == null ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.valueOf(status)) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ErrorCode.METHOD_NOT_ALLOWED;
            case UNAUTHORIZED -> ErrorCode.UNAUTHORIZED;
            case FORBIDDEN -> ErrorCode.FORBIDDEN;
            case BAD_REQUEST -> ErrorCode.MALFORMED_REQUEST;
            case TOO_MANY_REQUESTS -> ErrorCode.TOO_MANY_REQUESTS;
            default -> ErrorCode.INTERNAL_ERROR;
        };
        String message = code == ErrorCode.INTERNAL_ERROR ? "Internal server error" : code.status().getReasonPhrase();
        return errorBodies.response(request, code, message, null, null);
    }
}
