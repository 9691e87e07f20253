package io.contactmirror.web;

import org.springframework.http.HttpStatus;

/**
 * Machine-readable error codes of the API, each with the HTTP status it is answered with, what it means (the
 * contract lists these) and a message the server really sends with it (the contract's examples).
 */
public enum ErrorCode {
    VALIDATION_ERROR(
            HttpStatus.BAD_REQUEST,
            "A parameter or body field is invalid; `details` names each field.",
            "validation failed"),
    MALFORMED_REQUEST(
            HttpStatus.BAD_REQUEST,
            "The body is missing or is not the JSON this operation reads, or the request line, a header or the URL cannot be read.",
            "Request body is missing or is not valid JSON"),
    INSTANCE_REQUIRED(
            HttpStatus.BAD_REQUEST,
            "`instanceName` is needed: the tenant has several instances (or none) and the token is not bound to one.",
            "instanceName is required: the tenant has several instances"),
    UNAUTHORIZED(
            HttpStatus.UNAUTHORIZED,
            "Missing, malformed, unknown, revoked or expired token, or a disabled tenant.",
            "Token has been revoked"),
    FORBIDDEN(
            HttpStatus.FORBIDDEN,
            "The token lacks the scope (or instance binding) this operation needs.",
            "This token lacks the scope this operation needs"),
    NOT_FOUND(
            HttpStatus.NOT_FOUND,
            "No such route or resource: the sandbox of a real WhatsApp instance, or the operator API when no operator token is configured.",
            "No such resource"),
    TENANT_NOT_FOUND(HttpStatus.NOT_FOUND, "No tenant with that id or slug.", "Tenant not found"),
    TOKEN_NOT_FOUND(HttpStatus.NOT_FOUND, "No token with that id in this tenant.", "Token not found"),
    INSTANCE_NOT_FOUND(
            HttpStatus.NOT_FOUND,
            "No instance of that name, apiInstanceName or id visible to this token.",
            "Instance not found"),
    CONTACT_NOT_FOUND(
            HttpStatus.NOT_FOUND,
            "No contact with that id, phone or JID in an instance visible to this token.",
            "Contact not found"),
    METHOD_NOT_ALLOWED(
            HttpStatus.METHOD_NOT_ALLOWED, "The route exists but not with this HTTP method.", "Method not allowed"),
    NOT_ACCEPTABLE(
            HttpStatus.NOT_ACCEPTABLE,
            "The Accept header excludes every representation of the resource.",
            "This resource can only be represented as application/json"),
    CONFLICT(HttpStatus.CONFLICT, "The name or slug is taken.", "An instance named 'shop' already exists"),
    NOT_CONNECTED(
            HttpStatus.CONFLICT,
            "The operation needs a live WhatsApp session and the instance has none.",
            "The instance has no live session (status DISCONNECTED)"),
    QR_NOT_AVAILABLE(
            HttpStatus.CONFLICT,
            "No QR code to show: the instance is not pairing (yet), or is already paired.",
            "The instance is already paired and connected"),
    ALREADY_PAIRED(
            HttpStatus.CONFLICT,
            "The instance is already paired and connected.",
            "The instance is already paired and connected"),
    CURSOR_EXPIRED(
            HttpStatus.GONE,
            "The cursor (or Last-Event-ID) points before the oldest change still kept (see the retention setting): read the full contact list again, then continue from a fresh cursor.",
            "The cursor is older than the change log's retention (changes up to 1200 were removed); read the contact list again and start from a new cursor (after=now)"),
    PRECONDITION_FAILED(
            HttpStatus.PRECONDITION_FAILED,
            "If-Match does not match the current ETag: read the resource again and retry.",
            "The contact changed since version \"3\"; it is now at \"4\""),
    UNSUPPORTED_MEDIA_TYPE(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "The request's Content-Type is not one this operation reads.",
            "Content type not supported; send application/json"),
    PAYLOAD_TOO_LARGE(
            HttpStatus.CONTENT_TOO_LARGE,
            "The request body is larger than this route accepts (see the README, Limits).",
            "Request body too large for this route (at most 65536 bytes)"),
    REQUEST_TIMEOUT(
            HttpStatus.REQUEST_TIMEOUT,
            "The request body did not arrive in time.",
            "The request was not received in time"),
    TOO_MANY_REQUESTS(
            HttpStatus.TOO_MANY_REQUESTS,
            "The token spent its request budget; wait `Retry-After` seconds.",
            "Too many requests for this token; retry after the Retry-After seconds"),
    INTERNAL_ERROR(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "Unexpected failure; no details are ever exposed (quote `request_id`).",
            "Internal server error"),
    SERVICE_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Temporarily unable: the database is unavailable, the session is held by another replica, or no pairing code yet; retry after `Retry-After` seconds.",
            "The instance's session is held by another replica right now; retry (Retry-After: 1)"),
    ENGINE_TIMEOUT(
            HttpStatus.GATEWAY_TIMEOUT, "WhatsApp did not answer in time.", "WhatsApp did not answer within 10 s"),
    WEBHOOK_NOT_FOUND(
            HttpStatus.NOT_FOUND, "No webhook subscription with that id visible to this token.", "Webhook not found"),
    WEBHOOK_DELIVERY_NOT_FOUND(
            HttpStatus.NOT_FOUND,
            "No delivery with that id in this webhook's delivery log.",
            "Webhook delivery not found");

    private final HttpStatus status;
    private final String meaning;
    private final String exampleMessage;

    ErrorCode(HttpStatus status, String meaning, String exampleMessage) {
        this.status = status;
        this.meaning = meaning;
        this.exampleMessage = exampleMessage;
    }

    public HttpStatus status() {
        return status;
    }

    /** The code a bare status (from the container, or a framework exception) is answered with. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 408 -> REQUEST_TIMEOUT;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> TOO_MANY_REQUESTS;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL_ERROR;
        };
    }

    /** A fixed, client-safe text for a code that has no more specific message. */
    public String defaultMessage() {
        return switch (this) {
            case MALFORMED_REQUEST -> "Bad request: the request line, a header, the URL or the body cannot be read";
            case PAYLOAD_TOO_LARGE -> "Request body too large for this route";
            case REQUEST_TIMEOUT -> "The request was not received in time";
            case INTERNAL_ERROR -> "Internal server error";
            default -> status.getReasonPhrase();
        };
    }

    String meaning() {
        return meaning;
    }

    String exampleMessage() {
        return exampleMessage;
    }
}
