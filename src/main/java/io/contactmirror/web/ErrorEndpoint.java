package io.contactmirror.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
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
    ResponseEntity<Object> error(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        RequestIdFilter.ensure(request, response);
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && DatabaseFailures.isUnavailable(failure)) {
            return errorBodies.databaseUnavailable(request);
        }
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer value ? value : 500;
        ErrorCode code = ErrorCode.forStatus(status);
        String message = code.defaultMessage();
        return errorBodies.response(request, code, message, null, null);
    }
}
