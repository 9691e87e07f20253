package io.contactmirror.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;

/** Turns every exception raised inside Spring MVC into the error envelope; nothing else reaches the client. */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ErrorBodies errorBodies;

    ApiExceptionHandler(ErrorBodies errorBodies) {
        this.errorBodies = errorBodies;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApiException(ApiException ex, HttpServletRequest request) {
        return envelope(ex.code(), ex.getMessage(), ex.details(), request, ex.headers());
    }

    // Rethrown so Spring Security's ExceptionTranslationFilter answers 401/403 with its own entry points.
    @ExceptionHandler({AuthenticationException.class, AccessDeniedException.class})
    void rethrowSecurityException(RuntimeException ex) {
        throw ex;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, HttpServletRequest request) {
        if (clientLeft(ex)) {
            return ignoreClientThatLeft(request);
        }
        if (DatabaseFailures.isUnavailable(ex)) {
            // Down, restarting or out of connections: a condition to retry, not a server bug.
            log.warn("Database unavailable on {} {}: {}", request.getMethod(), LoggedPath.of(request), ex.toString());
            return errorBodies.databaseUnavailable(request);
        }
        log.error("Unhandled error on {} {}", request.getMethod(), LoggedPath.of(request), ex);
        return envelope(ErrorCode.INTERNAL_ERROR, "Internal server error", null, request, null);
    }

    /** Anyone can hang up on purpose, so this must stay cheap and quiet: no stack trace, no ERROR, no body. */
    private static @Nullable ResponseEntity<Object> ignoreClientThatLeft(HttpServletRequest request) {
        log.debug("Client left during {} {}", request.getMethod(), LoggedPath.of(request));
        return null;
    }

    /** Whether the exception only says that the client closed the connection (a download it abandoned). */
    static boolean clientLeft(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.springframework.web.context.request.async.AsyncRequestNotUsableException
                    || cause instanceof java.io.EOFException
                    || cause.getClass().getSimpleName().equals("ClientAbortException")
                    || org.springframework.web.util.DisconnectedClientHelper.isClientDisconnectedException(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ErrorEnvelope.FieldError> details = new ArrayList<>();
        ex.getBindingResult()
                .getFieldErrors()
                .forEach(error ->
                        details.add(new ErrorEnvelope.FieldError(error.getField(), error.getDefaultMessage())));
        ex.getBindingResult()
                .getGlobalErrors()
                .forEach(error ->
                        details.add(new ErrorEnvelope.FieldError(error.getObjectName(), error.getDefaultMessage())));
        return envelope(ErrorCode.VALIDATION_ERROR, "validation failed", details, servletRequest(request), headers);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ErrorEnvelope.FieldError> details = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            String field = parameterName(result);
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                String name = error instanceof org.springframework.validation.FieldError fieldError
                        ? fieldError.getField()
                        : field;
                details.add(new ErrorEnvelope.FieldError(name, error.getDefaultMessage()));
            }
        }
        return envelope(ErrorCode.VALIDATION_ERROR, "validation failed", details, servletRequest(request), headers);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field =
                ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : ex.getPropertyName();
        var detail = new ErrorEnvelope.FieldError(field, "must be " + describe(ex.getRequiredType()));
        return envelope(
                ErrorCode.VALIDATION_ERROR, "validation failed", List.of(detail), servletRequest(request), headers);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        var detail = new ErrorEnvelope.FieldError(ex.getParameterName(), "is required");
        return envelope(
                ErrorCode.VALIDATION_ERROR, "validation failed", List.of(detail), servletRequest(request), headers);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ErrorEnvelope.FieldError> details = null;
        if (ex.getCause() instanceof DatabindException databind
                && !databind.getPath().isEmpty()) {
            details = List.of(new ErrorEnvelope.FieldError(fieldPath(databind), "has an invalid value"));
        }
        return envelope(
                ErrorCode.MALFORMED_REQUEST,
                "Request body is missing or is not valid JSON",
                details,
                servletRequest(request),
                headers);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (clientLeft(ex)) {
            // Spring wraps a write to a closed connection (HttpMessageNotWritableException) before it reaches here.
            return ignoreClientThatLeft(servletRequest(request));
        }
        HttpStatus status = HttpStatus.valueOf(statusCode.value());
        ErrorCode code = switch (status) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ErrorCode.METHOD_NOT_ALLOWED;
            case NOT_ACCEPTABLE -> ErrorCode.NOT_ACCEPTABLE;
            case UNSUPPORTED_MEDIA_TYPE -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case BAD_REQUEST -> ErrorCode.VALIDATION_ERROR;
            case SERVICE_UNAVAILABLE -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status.is4xxClientError() ? ErrorCode.VALIDATION_ERROR : ErrorCode.INTERNAL_ERROR;
        };
        if (code == ErrorCode.INTERNAL_ERROR) {
            log.error(
                    "Request {} {} failed with status {}",
                    servletRequest(request).getMethod(),
                    LoggedPath.of(servletRequest(request)),
                    status,
                    ex);
        }
        return envelope(code, message(code, ex), null, servletRequest(request), headers);
    }

    private static String message(ErrorCode code, Exception ex) {
        return switch (code) {
            case NOT_FOUND -> "No such resource";
            case METHOD_NOT_ALLOWED -> ex.getMessage();
            case NOT_ACCEPTABLE -> "This resource can only be represented as application/json";
            case UNSUPPORTED_MEDIA_TYPE -> "Content type not supported; send application/json";
            case INTERNAL_ERROR -> "Internal server error";
            default -> "Bad request";
        };
    }

    private static String describe(@Nullable Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a valid " + type.getSimpleName();
    }

    private static String fieldPath(DatabindException ex) {
        StringBuilder path = new StringBuilder();
        for (var reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parameterName(ParameterValidationResult result) {
        var parameter = result.getMethodParameter();
        var requestParam = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.RequestParam.class);
        if (requestParam != null && !requestParam.name().isEmpty()) {
            return requestParam.name();
        }
        return parameter.getParameterName();
    }

    private static HttpServletRequest servletRequest(WebRequest request) {
        return ((ServletWebRequest) request).getRequest();
    }

    private ResponseEntity<Object> envelope(
            ErrorCode code,
            String message,
            @Nullable List<ErrorEnvelope.FieldError> details,
            HttpServletRequest request,
            @Nullable HttpHeaders headers) {
        return errorBodies.response(request, code, message, details, headers);
    }
}
