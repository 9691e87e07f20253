package io.contactmirror.compat;

import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.ErrorStyle;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/** Errors of the go-whatsapp-web-multidevice route in its own shape: {@code {code, message, results: null}}. */
@Component
class GowaErrorStyle implements ErrorStyle {

    @Override
    public boolean appliesTo(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/user/");
    }

    @Override
    public Object body(ErrorCode code, String message, String requestId) {
        String gowaCode = code == ErrorCode.INTERNAL_ERROR ? "INTERNAL_SERVER_ERROR" : code.name();
        return new GowaContactsController.GowaError(gowaCode, message, null);
    }
}
